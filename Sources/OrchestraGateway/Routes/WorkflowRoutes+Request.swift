import Hummingbird
import OrchestraAPI
import OrchestraScheduler

extension WorkflowRoutes {
    /// `GET /workflows/{id}/request` (an addition): the workflow as submitted — `workflow_type`,
    /// `metadata` and `tasks` (each with its `input_data`, `depends_on` and the options that were
    /// set), which `POST /run-graph` accepts as it is to run the same workflow again — plus
    /// `added_tasks`, those a delegating task's plan added, each naming it in `added_by`.
    func submittedRequest(id: String) async throws -> Response {
        guard IdentifierSyntax.isValid(id) else { throw GatewayError.workflowNotFound(id) }
        let found = try await Self.submitted(id, in: services.store)
        guard let workflow = found.first else { throw GatewayError.workflowNotFound(id) }
        return try Self.response(for: workflow)
    }

    /// The store's read, as an array of at most one. (Swift 6.3.1's release build crashed in
    /// the coroutine splitting of the route that awaited the optional directly.)
    @inline(never)
    static func submitted(_ id: String, in store: WorkflowStore) async throws -> [SubmittedWorkflow] {
        if let workflow = try await store.submitted(id) { return [workflow] }
        return []
    }

    /// The body of ``submittedRequest(id:)``.
    static func response(for workflow: SubmittedWorkflow) throws -> Response {
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
        return try JSONResponse.make(
            encoding: SubmittedRequest(
                workflowId: workflow.id, workflowType: workflow.type, tasks: tasks,
                metadata: WorkflowStatus.object(workflow.metadataJSON) ?? [:], addedTasks: added))
    }

    /// One task as `AgentTask` JSON: the fields of the request, in its order.
    static func json(_ task: SubmittedTask) -> JSONObject {
        func parsed(_ text: String?) -> JSONValue? {
            text.flatMap { try? JSONValue.parse($0, maxDepth: JSONValue.maximumDepthLimit) }
        }
        let submitted = AgentTask(
            agentId: task.agentID, agentRole: task.role, inputData: parsed(task.inputJSON)?.objectValue ?? [:],
            dependsOn: parsed(task.dependsOnJSON)?.arrayValue?.compactMap(\.stringValue) ?? [], options: task.options,
            maxAttempts: task.maxAttempts)
        return submitted.jsonValue.objectValue ?? [:]
    }
}
