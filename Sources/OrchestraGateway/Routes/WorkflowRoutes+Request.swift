import Hummingbird
import OrchestraCore
import OrchestraScheduler

extension WorkflowRoutes {
    /// `GET /workflows/{id}/request` (an addition): the workflow as submitted — `workflow_type`,
    /// `metadata` and `tasks` (each with its `input_data`, `depends_on` and the options that were
    /// set), which `POST /run-graph` accepts as it is to run the same workflow again — plus
    /// `added_tasks`, those a delegating task's plan added, each naming it in `added_by`.
    func submittedRequest(id: String) async throws -> Response {
        guard IdentifierSyntax.isValid(id), let workflow = try await services.store.submitted(id) else {
            throw GatewayError.workflowNotFound(id)
        }
        var tasks: [JSONValue] = []
        var added: [JSONValue] = []
        for task in workflow.tasks {
            var object = Self.json(task)
            if let parent = task.addedBy, workflow.tasks.indices.contains(parent) {
                object["added_by"] = .string(workflow.tasks[parent].agentID)
                added.append(.object(object))
            } else {
                tasks.append(.object(object))
            }
        }
        return JSONResponse.make([
            "workflow_id": .string(workflow.id), "workflow_type": .string(workflow.type),
            "tasks": .array(tasks), "metadata": .object(WorkflowStatus.object(workflow.metadataJSON) ?? [:]),
            "added_tasks": .array(added),
        ])
    }

    /// One task as `AgentTask` JSON: the fields of the request, in its order.
    static func json(_ task: SubmittedTask) -> JSONObject {
        func parsed(_ text: String?) -> JSONValue? {
            text.flatMap { try? JSONValue.parse($0, maxDepth: JSONValue.maximumDepthLimit) }
        }
        var object: JSONObject = [
            "agent_id": .string(task.agentID), "agent_role": .string(task.role),
            "input_data": parsed(task.inputJSON) ?? [:], "depends_on": parsed(task.dependsOnJSON) ?? [],
        ]
        let settings = task.settings
        if let value = settings.llmModel { object["llm_model"] = .string(value) }
        if let value = settings.temperature { object["temperature"] = .double(value) }
        if let value = settings.maxTokens { object["max_tokens"] = .int(Int64(value)) }
        if let value = settings.systemPrompt { object["system_prompt"] = .string(value) }
        if let value = settings.timeoutSeconds { object["timeout_s"] = .double(value) }
        if let value = task.maxAttempts { object["max_attempts"] = .int(Int64(value)) }
        if settings.delegate { object["delegate"] = true }
        return object
    }
}
