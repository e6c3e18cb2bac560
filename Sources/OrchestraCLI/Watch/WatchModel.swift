import OrchestraAPI
import OrchestraClient

/// What `orchestra watch` knows of a workflow, built from its events (and the status it read
/// first, for the task list): each task's state, attempt and latest tokens, and the outcome.
struct WatchModel {
    /// One task as watched.
    struct TaskState {
        var agentID: String
        var role: String?
        var state = "pending"
        var attempt: Int?
        /// The text streamed by the current attempt, as far as it is kept (its last characters).
        var tokens = ""
        var error: String?
        var usage: (prompt: Int, completion: Int)?
        var source: String?
    }

    /// How many characters of each running task's tokens are kept.
    static let keptTokenCharacters = 400

    let workflowID: String
    var workflowType: String?
    private(set) var tasks: [TaskState] = []
    private var positions: [String: Int] = [:]
    /// The terminal event's outcome (`completed`, `failed`, `partial`, `cancelled`), once seen.
    private(set) var outcome: String?
    private(set) var totalUsage: (prompt: Int, completion: Int)?

    init(workflowID: String) {
        self.workflowID = workflowID
    }

    /// Starts from a status: the tasks in their order, with their roles and states.
    init(status: WorkflowStatus) {
        self.workflowID = status.workflowId
        self.workflowType = status.workflowType.rawValue
        for task in status.tasks {
            self[task.agentId].role = task.agentRole
        }
    }

    /// Tasks finished (completed or failed) and known.
    var progress: (done: Int, total: Int) {
        (tasks.filter { $0.state == "completed" || $0.state == "failed" }.count, tasks.count)
    }

    private subscript(agentID: String) -> TaskState {
        get { positions[agentID].map { tasks[$0] } ?? TaskState(agentID: agentID) }
        set {
            if let position = positions[agentID] {
                tasks[position] = newValue
            } else {
                positions[agentID] = tasks.count
                tasks.append(newValue)
            }
        }
    }

    /// Applies one event; returns the plain-output lines it is worth.
    mutating func apply(_ event: GatewayClient.Event) -> [String] {
        let data = event.data
        let agent = data["agent_id"]?.stringValue ?? "?"
        switch event.type {
        case "workflow.submitted":
            return ["workflow \(workflowID) submitted (\(Self.int(data["task_count"]) ?? tasks.count) tasks)"]
        case "task.queued":
            self[agent].state = "queued"
            return ["\(agent): queued"]
        case "task.started":
            let attempt = Self.int(data["attempt"])
            self[agent].state = "running"
            self[agent].attempt = attempt
            self[agent].tokens = ""
            return ["\(agent): started (attempt \(attempt.map(String.init) ?? "?"))"]
        case "task.token":
            let delta = data["delta"]?.stringValue ?? ""
            self[agent].tokens = String((self[agent].tokens + delta).suffix(Self.keptTokenCharacters))
            return ["\(agent) ▸ \(JSONValue.string(delta).compactJSONString)"]
        case "task.retrying":
            let error = data["error"]?.stringValue ?? "unknown error"
            self[agent].state = "retrying"
            self[agent].error = error
            return ["\(agent): retrying after attempt \(Self.int(data["attempt"]).map(String.init) ?? "?"): \(error)"]
        case "task.completed":
            var task = self[agent]
            task.state = "completed"
            task.error = nil
            if let prompt = Self.int(data["usage"]?["prompt_tokens"]), let completion = Self.int(data["usage"]?["completion_tokens"]) {
                task.usage = (prompt, completion)
            }
            task.source = [data["provider"]?.stringValue, data["model"]?.stringValue].compactMap { $0 }.joined(separator: "/")
            self[agent] = task
            let usage = task.usage.map { ", \($0.prompt)+\($0.completion) tokens" } ?? ""
            return ["\(agent): completed (\(task.source ?? "")\(usage))"]
        case "task.failed":
            let error = data["error"]?.stringValue ?? "unknown error"
            self[agent].state = "failed"
            self[agent].error = error
            return ["\(agent): failed: \(error)"]
        case "workflow.expanded":
            let added = data["agent_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for id in added where positions[id] == nil { self[id] = TaskState(agentID: id) }
            return ["workflow expanded: \(added.joined(separator: ", ")) added"]
        case _ where event.isTerminal:
            outcome = String(event.type.dropFirst("workflow.".count))
            if let prompt = Self.int(data["usage"]?["prompt_tokens"]), let completion = Self.int(data["usage"]?["completion_tokens"]) {
                totalUsage = (prompt, completion)
            }
            return []
        default:
            return []
        }
    }

    private static func int(_ value: JSONValue?) -> Int? {
        value?.intValue.map { Int($0) }
    }

    /// The closing lines: the outcome, counts and usage, then each task that did not complete.
    var summary: [String] {
        let completed = tasks.filter { $0.state == "completed" }.count
        let failed = tasks.filter { $0.state == "failed" }.count
        var line = "workflow \(workflowID) \(outcome ?? "unfinished"): \(completed) completed, \(failed) failed of \(tasks.count) tasks"
        if let totalUsage { line += "; \(totalUsage.prompt) prompt + \(totalUsage.completion) completion tokens" }
        var lines = [line]
        for task in tasks where task.state != "completed" {
            lines.append("  \(task.agentID): \(task.state)\(task.error.map { " — \($0)" } ?? "")")
        }
        return lines
    }
}
