import Foundation
import OrchestraAPI
import Testing

/// Helpers shared by the validation tests.
enum Fixture {
    static func task(_ id: String, role: String = "backend", dependsOn: [String]? = nil, extra: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = ["agent_id": .string(id), "agent_role": .string(role), "input_data": ["task": .string("do \(id)")]]
        if let dependsOn { object["depends_on"] = .array(dependsOn.map(JSONValue.string)) }
        object.merge(extra) { _, new in new }
        return .object(object)
    }

    static func body(_ type: String, _ tasks: [JSONValue], extra: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = ["workflow_type": .string(type), "tasks": .array(tasks)]
        object.merge(extra) { _, new in new }
        return .object(object)
    }

    /// The issues a body produces; records a failure if it is accepted.
    static func issues(_ body: JSONValue, limits: ValidationLimits = ValidationLimits()) -> [ValidationIssue] {
        do {
            let request = try WorkflowValidator(limits: limits).validate(body)
            Issue.record("expected rejection, got \(request)")
            return []
        } catch {
            return error.issues
        }
    }

    /// The issue of a rule pydantic would check in a validator raising `ValueError(message)`.
    static func valueError(_ loc: [LocElement], _ message: String, input: JSONValue) -> ValidationIssue {
        ValidationIssue(loc: loc, msg: "Value error, \(message)", type: "value_error", input: input, ctx: ["error": .string(message)])
    }

    /// Expects exactly one issue.
    static func single(_ body: JSONValue, limits: ValidationLimits = ValidationLimits()) -> ValidationIssue? {
        let found = issues(body, limits: limits)
        #expect(found.count == 1, "issues: \(found)")
        return found.first
    }
}
