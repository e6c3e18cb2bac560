import Foundation
import Hummingbird
import Logging
import OrchestraAPI
import OrchestraAgents
import OrchestraConfig

/// The pre-built workflow patterns (the seed's `WorkflowPatterns`): `GET /patterns` lists them
/// with their parameters; `POST /patterns/{name}` instantiates one from a JSON object of its
/// parameters (plus optional `workflow_id` and `metadata`) and submits it like `POST /run-graph`.
struct PatternRoutes {
    let workflows: WorkflowRoutes

    func add(to routes: RouteTable<GatewayRequestContext>) {
        routes.on("/patterns", .get) { _, _ in
            JSONResponse.make(.array(WorkflowPatterns.all.map(\.jsonValue)))
        }
        routes.on("/patterns/:name", .post) { request, context in
            try await instantiate(name: context.parameters.get("name") ?? "", request: request, logger: context.logger)
        }
    }

    private func instantiate(name: String, request: Request, logger: Logger) async throws -> Response {
        guard WorkflowPatterns.pattern(named: name) != nil else {
            throw GatewayError(status: .notFound, detail: .message("Pattern \(name.prefix(100)) not found"))
        }
        let body = try await workflows.readBody(request)
        guard case .object(var parameters) = try? JSONValue.parse(Data(body.readableBytesView)) else {
            throw GatewayError.validation([ValidationIssue(loc: ["body"], msg: "Input should be a valid JSON object", type: "model_type")])
        }
        var workflowId: String?
        if let value = parameters.removeValue(forKey: "workflow_id") {
            guard case .string(let id) = value else {
                throw GatewayError.validation([
                    ValidationIssue(loc: ["body", "workflow_id"], msg: "Input should be a valid string", type: "string_type")
                ])
            }
            workflowId = id
        }
        var metadata: JSONObject = [:]
        if let value = parameters.removeValue(forKey: "metadata") {
            guard case .object(let object) = value else {
                throw GatewayError.validation([
                    ValidationIssue(loc: ["body", "metadata"], msg: "Input should be a valid dictionary", type: "dict_type")
                ])
            }
            metadata = object
        }
        let workflow: WorkflowRequest
        do {
            workflow = try WorkflowPatterns.instantiate(
                name: name, parameters: parameters, workflowId: workflowId, metadata: metadata,
                limits: workflows.services.configuration.validationLimits)
        } catch {
            throw GatewayError.validation(error.issues)
        }
        return try await workflows.accept(workflow, logger: logger)
    }
}
