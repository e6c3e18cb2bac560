public import Foundation

/// Turns a submitted body into a ``WorkflowRequest``, or reports every problem it has in
/// FastAPI/pydantic v2 style.
///
/// Field checks follow the model's field order; cross-task checks (duplicate ids, dependencies,
/// cycles) follow them and look only at fields that were valid. Unknown fields are ignored.
/// The validator never generates ids: a missing `workflow_id` stays `nil` (see ``WorkflowPlan``).
///
/// Cycle messages follow `depends_on` links: `dependency cycle: a -> b -> a` means `a` depends on
/// `b` and `b` on `a`; each cycle starts at its task that comes first in the request.
public struct WorkflowValidator: Sendable {
    /// The size limits applied.
    public var limits: ValidationLimits

    /// Creates a validator with the given limits.
    public init(limits: ValidationLimits = ValidationLimits()) {
        self.limits = limits
    }

    /// Validates raw body bytes; a body that is not JSON, or nests arrays and objects deeper than
    /// ``ValidationLimits/maxJSONDepth``, fails with a single `json_invalid` issue at its byte offset.
    public func validate(data: Data) throws(WorkflowValidationError) -> WorkflowRequest {
        let parsed = data.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try JSONValue.parse(raw, maxDepth: limits.maxJSONDepth) }
        }
        return try validate(parsed)
    }

    /// Validates raw body bytes in place (for example a network buffer's readable bytes); see ``validate(data:)``.
    public func validate(bytes: UnsafeRawBufferPointer) throws(WorkflowValidationError) -> WorkflowRequest {
        try validate(Result { () throws(JSONParseError) in try JSONValue.parse(bytes, maxDepth: limits.maxJSONDepth) })
    }

    private func validate(_ parsed: Result<JSONValue, JSONParseError>) throws(WorkflowValidationError) -> WorkflowRequest {
        switch parsed {
        case .success(let body): return try validate(body)
        case .failure(let error): throw WorkflowValidationError(issues: [.invalidJSON(error)])
        }
    }

    /// Validates a decoded body.
    public func validate(_ body: JSONValue) throws(WorkflowValidationError) -> WorkflowRequest {
        var issues: [ValidationIssue] = []
        guard let object = body.objectValue else {
            throw WorkflowValidationError(issues: [.modelType(["body"], input: body)])
        }

        var workflowId: String?
        if let value = object["workflow_id"], !value.isNull {
            workflowId = FieldCheck.identifier(value, at: ["body", "workflow_id"], into: &issues)
        }

        var workflowType: WorkflowType?
        if let value = object["workflow_type"] {
            workflowType = FieldCheck.workflowType(value, at: ["body", "workflow_type"], into: &issues)
        } else {
            issues.append(.missing(["body", "workflow_type"], in: object))
        }

        var tasks: [TaskDraft] = []
        if let value = object["tasks"] {
            tasks = validateTasks(value, into: &issues)
        } else {
            issues.append(.missing(["body", "tasks"], in: object))
        }

        var metadata: JSONObject = [:]
        if let value = object["metadata"] {
            if let members = value.objectValue {
                metadata = members
                let size = value.compactJSONByteCount
                if size > limits.maxMetadataBytes {
                    issues.append(
                        .valueError(
                            ["body", "metadata"], "metadata is \(size) bytes as JSON; at most \(limits.maxMetadataBytes) are allowed",
                            input: value))
                }
            } else {
                issues.append(.dictType(["body", "metadata"], input: value))
            }
        }

        if let workflowType, !tasks.isEmpty {
            DependencyCheck(type: workflowType, tasks: tasks).run(into: &issues)
        }

        guard issues.isEmpty, let workflowType else {
            throw WorkflowValidationError(issues: issues)
        }
        return WorkflowRequest(workflowId: workflowId, workflowType: workflowType, tasks: tasks.compactMap(\.task), metadata: metadata)
    }

    /// Checks the `tasks` array; returns one draft per element, or none when the list itself is unusable.
    private func validateTasks(_ value: JSONValue, into issues: inout [ValidationIssue]) -> [TaskDraft] {
        guard let elements = value.arrayValue else {
            issues.append(.listType(["body", "tasks"], input: value))
            return []
        }
        if elements.isEmpty {
            issues.append(
                ValidationIssue(
                    loc: ["body", "tasks"], msg: "List should have at least 1 item after validation, not 0", type: "too_short",
                    input: value,
                    ctx: ["field_type": "List", "min_length": 1, "actual_length": 0]))
            return []
        }
        if elements.count > limits.maxTasks {
            issues.append(
                ValidationIssue(
                    loc: ["body", "tasks"],
                    msg: "List should have at most \(limits.maxTasks) items after validation, not \(elements.count)",
                    type: "too_long", input: value,
                    ctx: ["field_type": "List", "max_length": .int(Int64(limits.maxTasks)), "actual_length": .int(Int64(elements.count))]
                )
            )
            return []
        }
        return elements.enumerated().map { index, element in
            TaskCheck(limits: limits, loc: ["body", "tasks", .index(index)]).run(element, into: &issues)
        }
    }
}
