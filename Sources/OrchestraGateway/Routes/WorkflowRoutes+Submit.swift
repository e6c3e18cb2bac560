import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OrchestraAPI
import OrchestraConfig
import OrchestraProviders
import OrchestraScheduler

extension WorkflowRoutes {
    /// `POST /run-graph`: reads the body (at most `MAX_REQUEST_BYTES`), validates it, checks that
    /// every task's model can be served, and writes the workflow in one atomic script. Nothing
    /// is written for a rejected workflow. `logger` is the request's (it carries its id).
    func submit(_ request: Request, logger: Logger) async throws -> Response {
        let body = try await readBody(request)
        let validator = WorkflowValidator(limits: services.configuration.validationLimits)
        // Parsed in place from the request buffer, without copying it into a `Data`.
        let validated = body.withUnsafeReadableBytes { bytes in
            Result { () throws(WorkflowValidationError) in try validator.validate(bytes: bytes) }
        }
        switch validated {
        case .success(let workflow): return try await accept(workflow, logger: logger)
        case .failure(let error): throw GatewayError.validation(error.issues)
        }
    }

    /// Checks that every task's model can be served, then writes `workflow` in one atomic script
    /// and answers with its new status (also the last step of `POST /patterns/{name}`).
    func accept(_ workflow: WorkflowRequest, logger: Logger) async throws -> Response {
        try checkModels(workflow)

        let plan = WorkflowPlan(request: workflow)
        let submission = WorkflowSubmission(request: workflow, plan: plan, defaultMaxAttempts: services.configuration.taskMaxAttempts)
        switch try await services.store.submit(submission) {
        case .alreadyExists:
            throw GatewayError.workflowExists(submission.id)
        case .created(let createdAt):
            logger.debug(
                "workflow submitted",
                metadata: ["workflow_id": "\(submission.id)", "workflow_type": "\(submission.type)", "tasks": "\(submission.tasks.count)"])
            return JSONResponse.make(WorkflowStatus(submitted: submission, request: workflow, createdAt: createdAt).jsonValue)
        }
    }

    /// The body, or 413 when it is (or claims to be) over the limit; an empty body is 422 `missing`.
    func readBody(_ request: Request) async throws -> ByteBuffer {
        let limit = services.configuration.maxRequestBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw GatewayError.payloadTooLarge(limit: limit)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw GatewayError.payloadTooLarge(limit: limit)
        }
        if body.readableBytes == 0 {
            throw GatewayError.validation([ValidationIssue(loc: ["body"], msg: "Field required", type: "missing", input: .null)])
        }
        return body
    }

    /// 422 for every task whose `llm_model` names an unknown or unconfigured provider.
    func checkModels(_ workflow: WorkflowRequest) throws(GatewayError) {
        var issues: [ValidationIssue] = []
        for (index, task) in workflow.tasks.enumerated() {
            guard let model = task.options.llmModel else { continue }
            do {
                _ = try services.models.resolve(model: model)
            } catch {
                issues.append(
                    ValidationIssue(loc: ["body", "tasks", .index(index), "llm_model"], msg: error.message, type: error.code.description))
            }
        }
        if !issues.isEmpty { throw GatewayError.validation(issues) }
    }
}
