import OrchestraAPI

/// Strict checks of response bodies, field by field, as the TypeScript bridge's schema does:
/// every contract field present with its type (nulls present, not omitted), enum values from the
/// contract only, timestamps ISO-8601 ending in `Z`, and no field outside the contract and its
/// documented additions. Each function returns the problems found (empty when the value conforms).
enum ResponseSchema {
    static let taskStates: Set<String> = ["pending", "running", "completed", "failed"]
    static let workflowStates: Set<String> = ["pending", "running", "completed", "failed", "partial"]
    static let workflowTypes: Set<String> = ["sequential", "parallel", "graph"]

    static func workflowStatus(_ value: JSONValue, at path: String = "$") -> [String] {
        var problems: [String] = []
        guard let object = value.objectValue else { return ["\(path): not an object"] }
        let required = ["workflow_id", "workflow_type", "status", "created_at", "started_at", "completed_at", "tasks", "metadata"]
        problems += keys(object, required: required, optional: ["usage", "error"], at: path)
        problems += string(object["workflow_id"], at: path + ".workflow_id")
        problems += oneOf(object["workflow_type"], workflowTypes, at: path + ".workflow_type")
        problems += oneOf(object["status"], workflowStates, at: path + ".status")
        problems += timestamp(object["created_at"], nullable: false, at: path + ".created_at")
        problems += timestamp(object["started_at"], nullable: true, at: path + ".started_at")
        problems += timestamp(object["completed_at"], nullable: true, at: path + ".completed_at")
        if object["metadata"]?.objectValue == nil { problems.append("\(path).metadata: not an object") }
        if let usage = object["usage"] { problems += self.usage(usage, at: path + ".usage") }
        if let error = object["error"] { problems += string(error, at: path + ".error") }
        guard let tasks = object["tasks"]?.arrayValue else { return problems + ["\(path).tasks: not an array"] }
        let id = object["workflow_id"]?.stringValue ?? ""
        for (index, task) in tasks.enumerated() {
            problems += taskStatus(task, workflowID: id, index: index, at: "\(path).tasks[\(index)]")
        }
        return problems
    }

    static func taskStatus(_ value: JSONValue, workflowID: String, index: Int, at path: String) -> [String] {
        var problems: [String] = []
        guard let object = value.objectValue else { return ["\(path): not an object"] }
        let required = ["task_id", "agent_id", "agent_role", "status", "started_at", "completed_at", "result", "error"]
        let optional = ["attempts", "worker_id", "model", "provider", "usage", "depends_on"]
        problems += keys(object, required: required, optional: optional, at: path)
        if object["task_id"] != .string("\(workflowID)-task-\(index)") {
            problems.append("\(path).task_id: \(String(describing: object["task_id"])) is not \(workflowID)-task-\(index)")
        }
        problems += string(object["agent_id"], at: path + ".agent_id")
        problems += string(object["agent_role"], at: path + ".agent_role")
        problems += oneOf(object["status"], taskStates, at: path + ".status")
        problems += timestamp(object["started_at"], nullable: true, at: path + ".started_at")
        problems += timestamp(object["completed_at"], nullable: true, at: path + ".completed_at")
        if let result = object["result"], !result.isNull, result.objectValue == nil {
            problems.append("\(path).result: not an object or null")
        }
        if let error = object["error"], !error.isNull { problems += string(error, at: path + ".error") }
        if let attempts = object["attempts"], attempts.intValue == nil { problems.append("\(path).attempts: not an integer") }
        for name in ["worker_id", "model", "provider"] {
            if let field = object[name] { problems += string(field, at: "\(path).\(name)") }
        }
        if let usage = object["usage"] { problems += self.usage(usage, at: path + ".usage") }
        if let dependsOn = object["depends_on"] {
            if dependsOn.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                problems.append("\(path).depends_on: not a string array")
            }
        }
        return problems
    }

    static func usage(_ value: JSONValue, at path: String) -> [String] {
        guard let object = value.objectValue else { return ["\(path): not an object"] }
        var problems = keys(object, required: ["prompt_tokens", "completion_tokens", "total_tokens"], optional: [], at: path)
        for name in ["prompt_tokens", "completion_tokens", "total_tokens"] where object[name]?.intValue == nil {
            problems.append("\(path).\(name): not an integer")
        }
        return problems
    }

    /// A FastAPI error body: `{"detail": "<string>"}`.
    static func errorDetail(_ value: JSONValue) -> [String] {
        guard let object = value.objectValue else { return ["$: not an object"] }
        return keys(object, required: ["detail"], optional: [], at: "$") + string(object["detail"], at: "$.detail")
    }

    /// A FastAPI validation body: `{"detail": [{"type": "...", "loc": [...], "msg": "...", "input": ..., "ctx": {...}}]}`
    /// (`input` and `ctx` optional).
    static func validationError(_ value: JSONValue) -> [String] {
        guard let object = value.objectValue, let detail = object["detail"]?.arrayValue, !detail.isEmpty else {
            return ["$.detail: not a non-empty array"]
        }
        var problems = keys(object, required: ["detail"], optional: [], at: "$")
        for (index, issue) in detail.enumerated() {
            let path = "$.detail[\(index)]"
            guard let fields = issue.objectValue else {
                problems.append("\(path): not an object")
                continue
            }
            problems += keys(fields, required: ["loc", "msg", "type"], optional: ["input", "ctx"], at: path)
            if let ctx = fields["ctx"], ctx.objectValue == nil { problems.append("\(path).ctx: not an object") }
            let loc = fields["loc"]?.arrayValue ?? []
            if loc.isEmpty || !loc.allSatisfy({ $0.stringValue != nil || $0.intValue != nil }) {
                problems.append("\(path).loc: not a non-empty array of strings and integers")
            }
            problems += string(fields["msg"], at: path + ".msg") + string(fields["type"], at: path + ".type")
        }
        return problems
    }

    /// The `loc`s of a validation body, dotted (`body.tasks.1.depends_on`).
    static func locs(_ value: JSONValue) -> [String] {
        (value["detail"]?.arrayValue ?? []).map { issue in
            (issue["loc"]?.arrayValue ?? []).map { $0.stringValue ?? $0.intValue.map { String($0) } ?? "?" }.joined(separator: ".")
        }
    }

    // MARK: Primitives

    static func keys(_ object: JSONObject, required: [String], optional: [String], at path: String) -> [String] {
        var problems = required.filter { object[$0] == nil }.map { "\(path).\($0): missing" }
        let known = Set(required + optional)
        problems += object.keys.filter { !known.contains($0) }.sorted().map { "\(path).\($0): unexpected field" }
        return problems
    }

    static func string(_ value: JSONValue?, at path: String) -> [String] {
        value?.stringValue == nil ? ["\(path): not a string (\(String(describing: value)))"] : []
    }

    static func oneOf(_ value: JSONValue?, _ allowed: Set<String>, at path: String) -> [String] {
        guard let text = value?.stringValue, allowed.contains(text) else {
            return ["\(path): \(String(describing: value)) not in \(allowed.sorted())"]
        }
        return []
    }

    static func timestamp(_ value: JSONValue?, nullable: Bool, at path: String) -> [String] {
        guard let value else { return ["\(path): missing"] }
        if value.isNull { return nullable ? [] : ["\(path): null"] }
        guard let text = value.stringValue, isISO8601UTC(text) else { return ["\(path): \(value) is not ISO-8601 UTC ending in Z"] }
        return []
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    static func isISO8601UTC(_ text: String) -> Bool {
        guard let pattern = try? Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"#) else { return false }
        return text.wholeMatch(of: pattern) != nil && Timestamp(iso8601: text) != nil
    }
}
