public import Logging
import OrchestraAgents
import OrchestraConcurrency
public import OrchestraConfig
import OrchestraMetrics
public import OrchestraProviders
public import OrchestraRedis
public import OrchestraScheduler
public import ServiceLifecycle
import Synchronization

/// A worker process's task loop: claims ready tasks from Redis, runs them against the providers,
/// and writes results back. Run it in a `ServiceGroup` after the ``RedisClient`` it uses.
///
/// - Claim loops block on each shard's ready queue and take up to `WORKER_CONCURRENCY` tasks at
///   once, several per claim when many are ready (``TaskQueue/claimReady(from:limit:)``).
/// - One renewal loop extends all leases every third of the lease; a lease that was lost or a
///   workflow that was cancelled stops its task, which then writes nothing.
/// - Cancellation notices (`cancel <id>`) stop a cancelled workflow's running tasks at once.
/// - Every worker runs the reaper; a lock per shard makes one of them do the work.
/// - Graceful shutdown stops claiming at once, lets running tasks finish within
///   `workerShutdownGraceSeconds`, then hands the rest back without spending their attempts.
public final class WorkerService: Service {
    let configuration: OrchestraConfiguration
    let redis: RedisClient
    let providers: ProviderRegistry
    let gate: any ProviderCallGate
    let logger: Logger
    /// This worker's id, recorded as the owner of its leases.
    public let workerID: String
    let queue: TaskQueue
    let keys: KeySchema
    let retryPolicy: RetryPolicy
    let tuning: WorkerTuning
    let shutdownGrace: Duration
    let running = RunningTasks()
    let slots: TaskSlots
    let shutdownSignal = AsyncEvent()
    let registry: WorkerRegistry
    /// What this worker records (``TaskMetrics``).
    let metrics = TaskMetrics.shared
    /// Whether it checked the layout in Redis and claims (its `/ready`).
    let prepared = Atomic<Bool>(false)
    /// Set by a claim, cleared by the next heartbeat (the registry's `last_claim_at`).
    let claimedSinceHeartbeat = Atomic<Bool>(false)

    /// Creates a worker; `gate` admits provider calls (cluster-wide limits).
    ///
    /// - Parameters:
    ///   - workerID: the id recorded with its leases; by default `<hostname>-<pid>-<random>`.
    ///   - workerShutdownGraceSeconds: how long running tasks may finish after graceful shutdown
    ///     begins before they are handed back. Default 10.
    ///   - retryPolicy: backoff of retried attempts.
    ///   - tuning: loop intervals and claim sizes.
    public init(
        configuration: OrchestraConfiguration,
        redis: RedisClient,
        providers: ProviderRegistry,
        gate: any ProviderCallGate = UnlimitedProviderGate(),
        logger: Logger,
        workerID: String? = nil,
        workerShutdownGraceSeconds: Double = 10,
        retryPolicy: RetryPolicy = RetryPolicy(),
        tuning: WorkerTuning = WorkerTuning()
    ) {
        let workerID = workerID ?? WorkerIdentity.generate()
        self.configuration = configuration
        self.redis = redis
        self.providers = providers
        self.gate = gate
        self.workerID = workerID
        var logger = logger
        logger[metadataKey: "worker"] = "\(workerID)"
        self.logger = logger
        self.keys = KeySchema(prefix: configuration.keyPrefix, shardCount: configuration.shards)
        self.queue = TaskQueue(
            redis: redis,
            settings: configuration.schedulerSettings,
            workerID: workerID,
            leaseDuration: .seconds(configuration.taskLeaseSeconds)
        )
        self.registry = WorkerRegistry(redis: redis, keys: keys, ttl: tuning.heartbeatInterval * 3)
        self.retryPolicy = retryPolicy
        self.tuning = tuning
        self.shutdownGrace = .seconds(max(0, workerShutdownGraceSeconds))
        self.slots = TaskSlots(capacity: configuration.workerConcurrency)
    }

    /// Runs until graceful shutdown (or cancellation, which abandons running tasks to the reaper).
    /// Throws when `AGENT_PROMPTS_FILE` cannot be read.
    public func run() async throws {
        // Refuse to run on data laid out for another shard count (it would find nothing).
        try await ClusterMeta.prepare(keys, on: redis, logger: logger)
        guard !Task.isCancelled else { return }
        prepared.store(true, ordering: .releasing)
        let executor = TaskExecutor(
            queue: queue,
            providers: providers,
            gate: gate,
            prompts: try loadPrompts(),
            defaultTimeoutSeconds: configuration.taskTimeoutSeconds,
            retryPolicy: retryPolicy,
            exitAfterAnswerStored: FaultInjection.isExitAfterAnswerEnabled,
            tokens: TokenEvents(
                log: EventLog(redis: redis, settings: configuration.schedulerSettings), flushInterval: tuning.tokenFlushInterval,
                flushCharacters: tuning.tokenFlushCharacters),
            metrics: metrics,
            logger: logger
        )
        logger.info(
            "worker started",
            metadata: [
                "concurrency": "\(slots.capacity)", "shards": "\(keys.shardCount)", "default_model": "\(providers.defaultModel)",
            ])
        await withGracefulShutdownHandler {
            await self.runLoops(executor)
        } onGracefulShutdown: {
            self.triggerGracefulShutdown()
        }
        try? await registry.remove(workerID)
        logger.info("worker stopped")
    }

    /// Begins a graceful shutdown without ServiceLifecycle (embedding, tests): stops claiming,
    /// lets running tasks finish within the grace period, hands back the rest; ``run()`` returns.
    public func triggerGracefulShutdown() {
        shutdownSignal.signal()
    }

    /// Tasks running on this worker now.
    public var runningTaskCount: Int { running.count }

    /// Whether graceful shutdown began: it claims nothing more.
    public var isDraining: Bool { shutdownSignal.isSignalled }

    /// Whether it is ready to claim (layout checked, not draining): its `/ready` probe.
    public var isReady: Bool { prepared.load(ordering: .acquiring) && !shutdownSignal.isSignalled }

    private func loadPrompts() throws -> AgentPrompts {
        guard let path = configuration.agentPromptsFile, !path.isEmpty else { return .builtIn }
        return try AgentPrompts.load(path: path)
    }
}

extension WorkerService: CustomStringConvertible {
    /// A short name for logs (ServiceLifecycle logs every service it starts): never its
    /// configuration, which holds secrets.
    public var description: String { "WorkerService(\(workerID))" }
}
