import OrchestraAPI
import OrchestraScheduler

/// An event as clients see it (API.md §6): one JSON object with `workflow_id`, `type`,
/// `timestamp`, `task_id`/`agent_id` for task events, and the fields of its type, typed.
enum EventJSON {
    /// Fields that are numbers in JSON.
    private static let integers: Set<String> = ["attempt", "task_count", "completed", "failed", "first", "count"]

    /// The event's JSON object. `workflowID` is the workflow of a per-workflow stream (entries of
    /// the cluster-wide streams carry their own).
    static func object(_ event: StoredEvent, workflowID: String?) -> JSONObject {
        let workflow = event.fields["workflow_id"] ?? workflowID ?? ""
        var object: JSONObject = [
            "workflow_id": .string(workflow), "type": .string(event.type),
            "timestamp": .string(Timestamp(millisecondsSinceEpoch: event.milliseconds).iso8601String),
        ]
        if let index = event.fields["index"] {
            let prefix = event.type == "workflow.expanded" ? "parent_" : ""
            object[prefix + "task_id"] = .string(WorkflowPlan.taskId(workflowId: workflow, index: Int(index) ?? 0))
        }
        var usage: (prompt: Int?, completion: Int?) = (nil, nil)
        for (name, value) in event.fields.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "workflow_id", "index":
                continue
            case "prompt_tokens":
                usage.prompt = Int(value)
            case "completion_tokens":
                usage.completion = Int(value)
            case "retry_at":
                object[name] = Int64(value).map { .string(Timestamp(millisecondsSinceEpoch: $0).iso8601String) } ?? .null
            case "agent_ids":
                object[name] = .array(value.split(separator: ",").map { .string(String($0)) })
            case _ where integers.contains(name):
                object[name] = Int64(value).map(JSONValue.int) ?? .string(value)
            default:
                object[name] = .string(value)
            }
        }
        if event.type == "task.completed" || StoredEvent.terminalTypes.contains(event.type) && event.type != "workflow.cancelled" {
            if let prompt = usage.prompt, let completion = usage.completion {
                object["usage"] = ["prompt_tokens": .int(Int64(prompt)), "completion_tokens": .int(Int64(completion))]
            } else {
                object["usage"] = .null
            }
        }
        return object
    }

    /// The status an event stands for, for `GET /events?status=`: a workflow event's outcome
    /// (`workflow.submitted` is `pending`), or the state a task event puts its task in.
    static func status(of type: String) -> String? {
        switch type {
        case "workflow.submitted", "task.queued", "task.retrying": "pending"
        case "task.started", "workflow.expanded": "running"
        case "workflow.completed", "task.completed": "completed"
        case "workflow.failed", "task.failed": "failed"
        case "workflow.partial": "partial"
        case "workflow.cancelled": "cancelled"
        default: nil
        }
    }
}
