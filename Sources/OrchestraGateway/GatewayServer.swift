public import Hummingbird
import HummingbirdCore
public import Logging
import OrchestraAPI
public import OrchestraConfig
public import OrchestraProviders
public import OrchestraRedis
import OrchestraScheduler
public import ServiceLifecycle

/// The stateless HTTP gateway (API.md §2): validates and submits workflows, serves their status,
/// lists, cancellation, queue statistics and the OpenAPI document, all from Redis. Any number of
/// gateways can serve the same cluster.
///
/// Run it in a `ServiceGroup` after the ``RedisClient`` it uses (the caller runs the client). It
/// listens on `configuration.host`/`port` (port 0 picks a free one, reported to `onListening`),
/// runs its own ``WorkflowNotifications`` listener for long-polls, and on graceful shutdown stops
/// accepting, ends pending long-polls early and drains in-flight requests.
///
/// Its connections are guarded against hostile clients (``GatewayHTTPChannel``): at most
/// `HTTP_MAX_CONNECTIONS` at once, idle, header and body timeouts, JSON 400s for malformed requests.
public struct GatewayServer: Service {
    /// The service version reported by `GET /` and the OpenAPI document.
    public static let version = OrchestraVersion.current

    let configuration: OrchestraConfiguration
    let redis: RedisClient
    let models: ModelCatalog
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// Creates the gateway. `onListening` receives the bound port (useful with port 0).
    public init(
        configuration: OrchestraConfiguration,
        redis: RedisClient,
        models: ModelCatalog,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.redis = redis
        self.models = models
        self.logger = logger
        self.onListening = onListening
    }

    /// The gateway as a Hummingbird application, as ``run()`` serves it: its router (every route
    /// and middleware), its guarded HTTP/1.1 channel with the WebSocket upgrade, and the background
    /// services it needs (the layout check that readies the workflow routes, the long-poll
    /// listener). The ``RedisClient`` is the caller's to run. Tests drive it with HummingbirdTesting.
    public func buildApplication() -> some ApplicationProtocol {
        buildApplication(readiness: GatewayReadiness())
    }

    /// The application, reporting readiness (and draining) through `readiness`.
    func buildApplication(readiness: GatewayReadiness) -> Application<RouterResponder<GatewayRequestContext>> {
        let settings = configuration.schedulerSettings
        // Workflow routes wait for the layout check; a mismatch stops the gateway.
        let layoutCheck = LayoutCheck(keys: settings.keys, redis: redis, readiness: readiness, logger: logger)
        let notifications = WorkflowNotifications(redis: redis, keys: settings.keys, logger: logger)
        let services = GatewayServices(
            configuration: configuration, redis: redis, store: WorkflowStore(redis: redis, settings: settings),
            notifications: notifications, models: models, registry: WorkerRegistry(redis: redis, keys: settings.keys),
            events: EventHub(log: EventLog(redis: redis, settings: settings), logger: logger),
            heartbeat: .seconds(configuration.eventsHeartbeatSeconds), readiness: readiness, logger: logger)
        let document = OpenAPIDocument(
            requiresAPIKey: !(configuration.apiKey ?? "").isEmpty, maxTasks: configuration.maxTasksPerWorkflow)
        let router = GatewayRouter.build(services: services, openAPI: document)

        let onListening = self.onListening
        let configuredPort = configuration.port
        let logger = self.logger
        let webSocket = WebSocketEvents(services: services, apiKey: configuration.apiKey.map { Array($0.utf8) })
        let limiter = ConnectionLimiter(limit: configuration.httpMaxConnections, logger: logger)
        let timeouts = HTTPConnectionStateMachine.Timeouts(configuration: configuration)
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in
                GatewayHTTPChannel(responder: responder, webSocket: webSocket, limiter: limiter, timeouts: timeouts)
            },
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            services: [layoutCheck, notifications],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuredPort
                logger.info("gateway listening", metadata: ["port": "\(port)", "version": "\(Self.version)"])
                await onListening(port)
            },
            logger: logger
        )
    }

    /// Serves HTTP until graceful shutdown.
    public func run() async throws {
        let readiness = GatewayReadiness()
        let app = buildApplication(readiness: readiness)
        let logger = self.logger
        // SIGTERM first drains: `/ready` answers 503 (load balancers stop sending) while requests
        // are still served for `GATEWAY_DRAIN_SECONDS`; then the server stops accepting and
        // finishes what is in flight. The app runs in a group of its own, in a detached task: a
        // ServiceGroup listens to the graceful shutdown of the task it runs in (a task-local), and
        // that would stop the app at once instead of after the drain.
        let server = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let drain = Duration.seconds(configuration.gatewayDrainSeconds)
        let running = Task.detached { try await server.run() }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                running.cancel()
            }
        } onGracefulShutdown: {
            readiness.startDraining()
            logger.info("draining before shutdown", metadata: ["seconds": "\(drain)"])
            Task {
                try? await Task.sleep(for: drain)
                await server.triggerGracefulShutdown()
            }
        }
    }
}

extension GatewayServer: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "GatewayServer(\(configuration.host):\(configuration.port))" }
}
