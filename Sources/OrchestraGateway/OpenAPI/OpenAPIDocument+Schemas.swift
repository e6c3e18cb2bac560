import OrchestraAPI

extension OpenAPIDocument {
    /// The models of requests and responses.
    static func schemas(maxTasks: Int) -> JSONObject {
        let id: JSONValue = [
            "type": "string", "minLength": 1, "maxLength": .int(Int64(IdentifierSyntax.maxLength)),
            "pattern": .string(IdentifierSyntax.pattern),
        ]
        let timestamp = { (description: String) in nullable("string", format: "date-time", description: description) }
        let enumeration = { (values: [String]) -> JSONValue in ["type": "string", "enum": .array(values.map(JSONValue.string))] }
        let integer: JSONValue = ["type": "integer"]
        return [
            "AgentTask": object(
                [
                    "agent_id": id,
                    "agent_role": stringSchema(
                        length: AgentTaskLimits.agentRoleLength, description: "frontend, backend, qa, debugger, coordinator or any other"),
                    "input_data": [
                        "type": "object", "description": "`task` is the instruction; other keys are structured input.", "minProperties": 1,
                    ],
                    "depends_on": [
                        "type": "array", "items": ["type": "string"], "default": [],
                        "description": "agent_ids this task waits for (graph).",
                    ],
                    "llm_model": stringSchema(
                        length: AgentTaskLimits.llmModelLength,
                        description: "Addition: model, e.g. gpt-4o, claude-…, grok-…, echo, provider/model."),
                    "temperature": numberSchema(in: AgentTaskLimits.temperature),
                    "max_tokens": integerSchema(in: AgentTaskLimits.maxTokens),
                    "system_prompt": ["type": "string", "description": "Addition: replaces the role's system prompt."],
                    "timeout_s": numberSchema(in: AgentTaskLimits.timeoutSeconds, lowerExclusive: true),
                    "max_attempts": integerSchema(in: AgentTaskLimits.maxAttempts),
                ], required: ["agent_id", "agent_role", "input_data"], description: "One agent task of a workflow."),
            "WorkflowRequest": object(
                [
                    "workflow_id": .object(id.objectValue!.merging(["description": "Generated (UUID v4) when absent."]) { $1 }),
                    "workflow_type": enumeration(WorkflowType.allCases.map(\.rawValue)),
                    "tasks": ["type": "array", "items": ref("AgentTask"), "minItems": 1, "maxItems": .int(Int64(maxTasks))],
                    "metadata": ["type": "object", "default": [:]],
                ], required: ["workflow_type", "tasks"], description: "The body of POST /run-graph."),
            "TokenUsage": object(
                ["prompt_tokens": integer, "completion_tokens": integer, "total_tokens": integer],
                required: ["prompt_tokens", "completion_tokens", "total_tokens"], description: "Token counts."),
            "TaskStatus": object(
                [
                    "task_id": ["type": "string", "description": "`{workflow_id}-task-{i}`"],
                    "agent_id": ["type": "string"], "agent_role": ["type": "string"],
                    "status": enumeration(TaskState.allCases.map(\.rawValue)),
                    "started_at": timestamp("When a worker first started it (UTC, ends in Z)."),
                    "completed_at": timestamp("When it completed or failed."),
                    "result": [
                        "type": ["object", "null"],
                        "description": "`{\"output\", \"provider\", \"model\", \"usage\"}` once completed.",
                    ],
                    "error": nullable("string", description: "Why it failed (or the last error before a retry)."),
                    "attempts": ["type": "integer", "description": "Addition: attempts so far."],
                    "worker_id": ["type": "string", "description": "Addition: the worker that ran it."],
                    "model": ["type": "string", "description": "Addition: the model that answered."],
                    "provider": ["type": "string", "description": "Addition: the provider that answered."],
                    "usage": ref("TokenUsage"),
                    "depends_on": ["type": "array", "items": ["type": "string"], "description": "Addition: as submitted."],
                ], required: ["task_id", "agent_id", "agent_role", "status", "started_at", "completed_at", "result", "error"],
                description: "One task's state. Contract fields are always present (null when unset)."),
            "WorkflowStatus": object(
                [
                    "workflow_id": ["type": "string"],
                    "workflow_type": enumeration(WorkflowType.allCases.map(\.rawValue)),
                    "status": enumeration(WorkflowState.allCases.map(\.rawValue)),
                    "created_at": ["type": "string", "format": "date-time"],
                    "started_at": timestamp("When its first task started."),
                    "completed_at": timestamp("When it reached a terminal status."),
                    "tasks": ["type": "array", "items": ref("TaskStatus")],
                    "metadata": ["type": "object"],
                    "usage": ref("TokenUsage"),
                    "error": ["type": "string", "description": "Addition: summary of failures (failed or partial)."],
                ], required: ["workflow_id", "workflow_type", "status", "created_at", "started_at", "completed_at", "tasks", "metadata"],
                description: "A workflow's state: completed when every task completed, failed when none did, partial otherwise."),
            "ServiceInfo": object(
                ["service": ["type": "string"], "status": ["type": "string", "const": "running"], "version": ["type": "string"]],
                required: ["service", "status", "version"], description: "The service banner."),
            "HealthStatus": object(
                [
                    "status": enumeration(["healthy", "unhealthy"]),
                    "active_workflows": ["type": "integer", "description": "Pending plus running workflows."],
                    "timestamp": ["type": "string", "format": "date-time"],
                    "detail": ["type": "string", "description": "Why it is unhealthy."],
                ], required: ["status", "active_workflows", "timestamp"], description: "Health."),
            "ShardQueueDepth": object(
                ["shard": integer, "ready": integer, "running": integer, "delayed": integer],
                required: ["shard", "ready", "running", "delayed"], description: "One shard's queues."),
            "QueueStatistics": object(
                [
                    "shards": ["type": "array", "items": ref("ShardQueueDepth")],
                    "totals": object(
                        ["ready": integer, "running": integer, "delayed": integer, "demand": integer],
                        required: ["ready", "running", "delayed", "demand"],
                        description: "Sums over shards; `demand` = ready + running, what worker autoscaling follows."),
                    "active_workflows": integer,
                    "workflows": object(
                        ["pending": integer, "running": integer, "completed": integer, "failed": integer, "partial": integer],
                        required: ["pending", "running", "completed", "failed", "partial"],
                        description: "Stored workflows in each status, over all shards."),
                    "timestamp": ["type": "string", "format": "date-time"],
                ], required: ["shards", "totals", "active_workflows", "timestamp"], description: "Queue depths."),
            "DeleteResponse": object(["message": ["type": "string"]], required: ["message"], description: "Deletion confirmed."),
            "HTTPError": object(["detail": ["type": "string"]], required: ["detail"], description: "An error."),
            "ValidationError": object(
                [
                    "loc": ["type": "array", "items": ["anyOf": [["type": "string"], ["type": "integer"]]]],
                    "msg": ["type": "string"], "type": ["type": "string"],
                    "input": ["description": "The offending value; for missing, the object that lacks the field."],
                    "ctx": ["type": "object", "description": "The broken constraint, e.g. {\"max_length\": 200}."],
                ], required: ["loc", "msg", "type"], description: "One validation problem, as pydantic v2 reports it."),
            "HTTPValidationError": object(
                ["detail": ["type": "array", "items": ref("ValidationError")]], required: ["detail"],
                description: "Validation failed (422)."),
        ]
    }
}
