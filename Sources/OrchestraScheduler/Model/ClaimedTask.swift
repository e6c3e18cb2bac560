public import OrchestraAPI

/// A task a worker holds a lease on: what it needs to run it and to report back.
public struct ClaimedTask: Sendable, Hashable {
    /// The workflow's id.
    public var workflowID: String
    /// The task's 0-based position in its workflow.
    public var index: Int
    /// The fencing token of this claim; completion, failure and renewal present it.
    public var epoch: Int
    /// This attempt's number (1 for the first).
    public var attempt: Int
    /// Attempts allowed before the task fails for good.
    public var maxAttempts: Int
    /// `agent_id` as submitted.
    public var agentID: String
    /// `agent_role` as submitted.
    public var role: String
    /// `input_data` as JSON text.
    public var inputJSON: String
    /// `sequential`, `parallel` or `graph`.
    public var workflowType: String
    /// Its execution options (API.md §5).
    public var options: TaskOptions
    /// A provider answer stored by an earlier attempt that died before acknowledging.
    public var storedAnswer: TaskAnswer?
    /// The outputs of the tasks this one depends on, in dependency order.
    public var dependencies: [DependencyOutput]
    /// How long it waited between becoming ready and this claim (server clock).
    public var queueWait: Duration

    /// The task's reference in the queues: `<workflow_id>|<index>`.
    public var ref: String { "\(workflowID)|\(index)" }

    /// A claimed task (tests and tools build them; workers get them from ``TaskQueue``).
    public init(
        workflowID: String, index: Int, epoch: Int, attempt: Int = 1, maxAttempts: Int = 3, agentID: String, role: String,
        inputJSON: String, workflowType: String = "graph", options: TaskOptions = TaskOptions(), storedAnswer: TaskAnswer? = nil,
        dependencies: [DependencyOutput] = [], queueWait: Duration = .zero
    ) {
        self.workflowID = workflowID
        self.index = index
        self.epoch = epoch
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.agentID = agentID
        self.role = role
        self.inputJSON = inputJSON
        self.workflowType = workflowType
        self.options = options
        self.storedAnswer = storedAnswer
        self.dependencies = dependencies
        self.queueWait = queueWait
    }
}

/// The output of a completed dependency, passed to its dependents' prompts.
public struct DependencyOutput: Sendable, Hashable {
    /// The dependency's `agent_id`.
    public var agentID: String
    /// Its output text.
    public var output: String

    /// A dependency's output.
    public init(agentID: String, output: String) {
        self.agentID = agentID
        self.output = output
    }
}

/// What a lease renewal found.
public enum RenewOutcome: Sendable, Hashable {
    /// The lease was extended.
    case renewed
    /// The task is no longer this worker's (it expired and went elsewhere): stop working on it.
    case lost
    /// The workflow was cancelled or deleted: stop working on it.
    case cancelled
}

/// What acknowledging a task's end (or storing its answer) found.
public enum AcknowledgeOutcome: String, Sendable, Hashable {
    /// Recorded.
    case ok
    /// Recorded as a failure that will be retried after its backoff.
    case retry
    /// Recorded as a final failure (dependents failed too).
    case failed
    /// Rejected: the lease was lost and the task belongs to another claim (fencing).
    case stale
    /// Rejected: the workflow no longer exists (cancelled or expired).
    case gone
}
