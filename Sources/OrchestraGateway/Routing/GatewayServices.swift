import Logging
import OrchestraConfig
import OrchestraProviders
import OrchestraRedis
import OrchestraScheduler

/// What every route handler uses: the configuration, the scheduler's store, the notification
/// listener (long-polls), the model registry and the logger. Holds no per-workflow state.
struct GatewayServices: Sendable {
    let configuration: OrchestraConfiguration
    let redis: RedisClient
    let store: WorkflowStore
    let notifications: WorkflowNotifications
    /// Which models submissions may name (the gateway calls no provider).
    let models: ModelCatalog
    /// The workers' reports.
    let registry: WorkerRegistry
    /// Live event streams shared by this gateway's subscribers.
    let events: EventHub
    /// The longest silence on an event stream before a heartbeat comment.
    let heartbeat: Duration
    /// Whether the layout was checked (workflow routes answer 503 until then).
    let readiness: GatewayReadiness
    let logger: Logger

    /// The key schema in use.
    var keys: KeySchema { store.keys }

    /// A subscriber's view of the live event streams.
    var feed: EventFeed { EventFeed(hub: events, keys: keys, heartbeat: heartbeat) }
}
