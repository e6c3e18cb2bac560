import Hummingbird
import Logging
import OrchestraAPI
import OrchestraConfig
import OrchestraRedis
import OrchestraScheduler

extension WorkflowRoutes {
    /// Most workflow requests one `POST /run-graph/batch` takes.
    static let maximumBatchSize = 1000

    /// `POST /run-graph/batch`: a JSON array of workflow requests, each validated and written on
    /// its own (all of them in one pipelined round trip to Redis). The answer is 200 with one entry
    /// per request, in order: `{"status": 200, "workflow": <status>}` for an accepted one, else
    /// `{"status": 4xx/503, "detail": ...}` as `POST /run-graph` would have answered it. A body that
    /// is not such an array is a 422 for the whole request, and writes nothing.
    func submitBatch(_ request: Request) async throws -> Response {
        let body = try await readBody(request)
        let limits = services.configuration.validationLimits
        // One level deeper than a single request: the array around them.
        let parsed = body.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) in try JSONValue.parse(bytes, maxDepth: limits.maxJSONDepth + 1) }
        }
        let elements: [JSONValue]
        switch parsed {
        case .failure(let error): throw GatewayError.validation([.invalidJSON(error)])
        case .success(let value):
            guard case .array(let array) = value else {
                throw GatewayError.validation([
                    ValidationIssue(loc: ["body"], msg: "Input should be a valid list", type: "list_type", input: value)
                ])
            }
            if array.isEmpty {
                throw GatewayError.validation([
                    ValidationIssue(
                        loc: ["body"], msg: "List should have at least 1 item after validation, not 0", type: "too_short",
                        input: value, ctx: ["field_type": "List", "min_length": 1, "actual_length": 0])
                ])
            }
            if array.count > Self.maximumBatchSize {
                throw GatewayError.validation([
                    ValidationIssue(
                        loc: ["body"], msg: "List should have at most \(Self.maximumBatchSize) items after validation, not \(array.count)",
                        type: "too_long",
                        ctx: [
                            "field_type": "List", "max_length": .int(Int64(Self.maximumBatchSize)),
                            "actual_length": .int(Int64(array.count)),
                        ])
                ])
            }
            elements = array
        }

        // Validate each; what passes is written in one pipelined round trip.
        let validator = WorkflowValidator(limits: limits)
        var answers: [JSONValue?] = Array(repeating: nil, count: elements.count)
        var accepted: [(position: Int, request: WorkflowRequest, submission: WorkflowSubmission)] = []
        for (position, element) in elements.enumerated() {
            switch prepare(element, validator: validator) {
            case .success(let prepared): accepted.append((position, prepared.request, prepared.submission))
            case .failure(let error): answers[position] = Self.entry(error)
            }
        }
        let outcomes = try await services.store.submitEach(accepted.map(\.submission))
        for (entry, outcome) in zip(accepted, outcomes) {
            switch outcome {
            case .success(.created(let createdAt)):
                let status = WorkflowStatus(submitted: entry.submission, request: entry.request, createdAt: createdAt)
                answers[entry.position] = ["status": 200, "workflow": status.jsonValue]
            case .success(.alreadyExists):
                answers[entry.position] = Self.entry(.workflowExists(entry.submission.id))
            case .failure(let error):
                services.logger.warning(
                    "batch submission failed in Redis", metadata: ["workflow_id": "\(entry.submission.id)", "error": "\(error)"])
                answers[entry.position] = Self.entry(.storageUnavailable(error))
            }
        }
        services.logger.debug("batch submitted", metadata: ["requests": "\(elements.count)", "written": "\(accepted.count)"])
        return JSONResponse.make(.array(answers.map { $0 ?? .null }))
    }

    /// One request of a batch validated, its models checked and its submission planned; or the
    /// error `POST /run-graph` would have answered it with. (A plain function returning a
    /// `Result`: release builds of Swift 6.3 crashed on a typed-throws `do`/`catch` here.)
    private func prepare(_ element: JSONValue, validator: WorkflowValidator) -> Result<
        (request: WorkflowRequest, submission: WorkflowSubmission), GatewayError
    > {
        let workflow: WorkflowRequest
        switch Result(catching: { () throws(WorkflowValidationError) in try validator.validate(element) }) {
        case .success(let validated): workflow = validated
        case .failure(let error): return .failure(.validation(error.issues))
        }
        if case .failure(let error) = Result(catching: { () throws(GatewayError) in try checkModels(workflow) }) {
            return .failure(error)
        }
        let submission = WorkflowSubmission(
            request: workflow, plan: WorkflowPlan(request: workflow), defaultMaxAttempts: services.configuration.taskMaxAttempts)
        return .success((workflow, submission))
    }

    /// A batch entry for a request answered with `error`.
    private static func entry(_ error: GatewayError) -> JSONValue {
        ["status": .int(Int64(error.status.code)), "detail": error.detailJSON]
    }
}
