import OrchestraAPI
import OrchestraScheduler

// The bodies of the service endpoints (`/`, `/health`, `/ready`, `/queues`, `/usage`, `/workers`)
// and of the smaller workflow answers, as typed models. Workflow statuses, the hot path, are
// written by ``WorkflowStatus/jsonValue`` (the same bytes as its `encode(to:)`, without the
// encoder's generic dispatch). Members are written in declaration order (``JSONValueEncoder``): keep it the
// order the README and the OpenAPI document list.

/// `GET /`: the service banner.
struct ServiceBanner: Encodable {
    let service: String
    let status = "running"
    let version: String
}

/// `GET /health`: Redis reachable (`healthy`) or not (`unhealthy`, with a `detail`).
struct HealthReport: Encodable {
    let status: String
    let activeWorkflows: Int
    let timestamp: Timestamp
    var detail: String? = nil

    enum CodingKeys: String, CodingKey {
        case status
        case activeWorkflows = "active_workflows"
        case timestamp, detail
    }
}

/// `GET /ready`: `ready`, `starting` or `draining`, with a `detail` when not ready.
struct Readiness: Encodable {
    let status: String
    var detail: String? = nil
}

/// `GET /queues`: task counts per shard and in all, active workflows, stored workflows by status.
struct QueueReport: Encodable {
    struct Totals: Encodable {
        let ready: Int
        let running: Int
        let delayed: Int
        /// What autoscalers scale workers on: tasks that need a worker slot now (ready + running).
        /// Delayed retries wait outside the ready lists and need none until they are due.
        let demand: Int
    }

    let shards: [QueueDepth]
    let totals: Totals
    let activeWorkflows: Int
    /// Stored workflows per status, in the store's order.
    let workflows: JSONObject
    let timestamp: Timestamp

    init(depths: [QueueDepth], activeWorkflows: Int, byStatus: [(status: String, count: Int)], timestamp: Timestamp) {
        shards = depths
        let ready = depths.reduce(0) { $0 + $1.ready }
        let running = depths.reduce(0) { $0 + $1.running }
        totals = Totals(ready: ready, running: running, delayed: depths.reduce(0) { $0 + $1.delayed }, demand: ready + running)
        self.activeWorkflows = activeWorkflows
        workflows = JSONObject(byStatus.map { ($0.status, .int(Int64($0.count))) })
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case shards, totals
        case activeWorkflows = "active_workflows"
        case workflows, timestamp
    }
}

/// `GET /usage`: completed calls and tokens per provider and model, and in all.
struct UsageReport: Encodable {
    struct Counts: Encodable {
        let calls: Int
        let promptTokens: Int
        let completionTokens: Int
        var totalTokens: Int { promptTokens + completionTokens }

        enum CodingKeys: String, CodingKey {
            case calls
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(calls, forKey: .calls)
            try container.encode(promptTokens, forKey: .promptTokens)
            try container.encode(completionTokens, forKey: .completionTokens)
            try container.encode(totalTokens, forKey: .totalTokens)
        }
    }

    /// One provider/model's counts, then its names.
    struct Model: Encodable {
        let counts: Counts
        let provider: String
        let model: String

        enum CodingKeys: String, CodingKey { case provider, model }

        func encode(to encoder: any Encoder) throws {
            try counts.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(provider, forKey: .provider)
            try container.encode(model, forKey: .model)
        }
    }

    let models: [Model]
    let totals: Counts

    /// The report of `counters`, sorted by provider then model.
    init(_ counters: [ProviderUsage]) {
        let sorted = counters.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
        models = sorted.map {
            Model(
                counts: Counts(calls: $0.calls, promptTokens: $0.promptTokens, completionTokens: $0.completionTokens),
                provider: $0.provider, model: $0.model)
        }
        totals = Counts(
            calls: sorted.reduce(0) { $0 + $1.calls }, promptTokens: sorted.reduce(0) { $0 + $1.promptTokens },
            completionTokens: sorted.reduce(0) { $0 + $1.completionTokens })
    }
}

/// `GET /workers`: the workers alive now, as they last reported themselves.
struct WorkerList: Encodable {
    struct Worker: Encodable {
        let info: WorkerInfo

        enum CodingKeys: String, CodingKey {
            case id, host, version
            case startedAt = "started_at"
            case concurrency
            case inFlight = "in_flight"
            case lastClaimAt = "last_claim_at"
            case draining
            case lastSeenAt = "last_seen_at"
        }

        /// Every field, `last_claim_at` as `null` before the first claim.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(info.id, forKey: .id)
            try container.encode(info.host, forKey: .host)
            try container.encode(info.version, forKey: .version)
            try container.encode(Timestamp(millisecondsSinceEpoch: info.startedAt), forKey: .startedAt)
            try container.encode(info.concurrency, forKey: .concurrency)
            try container.encode(info.inFlight, forKey: .inFlight)
            try container.encode(info.lastClaimAt.map(Timestamp.init(millisecondsSinceEpoch:)), forKey: .lastClaimAt)
            try container.encode(info.draining, forKey: .draining)
            try container.encode(Timestamp(millisecondsSinceEpoch: info.lastSeenAt), forKey: .lastSeenAt)
        }
    }

    let workers: [Worker]
    let timestamp: Timestamp
}

/// `DELETE /workflows/{id}`: what was done.
struct DeletionMessage: Encodable {
    let message: String
}

/// `GET /workflows/{id}/request`: the workflow as submitted, which `POST /run-graph` accepts as it
/// is, plus the tasks a delegating task's plan added (each naming it in `added_by`).
struct SubmittedRequest: Encodable {
    let workflowId: String
    let workflowType: String
    /// Each as an `AgentTask` object.
    let tasks: [JSONValue]
    let metadata: JSONObject
    let addedTasks: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case workflowId = "workflow_id"
        case workflowType = "workflow_type"
        case tasks, metadata
        case addedTasks = "added_tasks"
    }
}
