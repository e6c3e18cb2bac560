import OrchestraAPI

/// Checks JSON values against the schemas of the OpenAPI document the gateway serves (not a copy
/// kept in the tests). The subset of JSON Schema the document uses: `$ref`, `type` (one or a
/// list, `null` included), `anyOf`, `oneOf`, `const`, `properties`, `required`,
/// `additionalProperties` (`false` or a schema), `enum`,
/// `items`, `minItems`/`maxItems`, `minLength`/`maxLength`, `minimum`/`maximum`/
/// `exclusiveMinimum`, `minProperties`. Any other keyword is reported, so the checker cannot pass
/// over a part of the document it does not understand.
struct ServedSchema {
    let document: JSONValue

    private static let understood: Set<String> = [
        "$ref", "type", "anyOf", "oneOf", "const", "properties", "required", "additionalProperties", "enum", "items", "minItems",
        "maxItems", "minLength",
        "maxLength", "minimum", "maximum", "exclusiveMinimum", "minProperties", "description", "default", "format", "pattern",
        "examples", "example", "title",
    ]

    /// The schema of the JSON body `method path` answers with `status`, from the document's paths.
    func responseSchema(_ method: String, _ path: String, status: Int) -> JSONValue? {
        document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)]?["content"]?["application/json"]?["schema"]
    }

    /// The problems of `value` against `schema` (empty when it conforms).
    func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard let rules = schema.objectValue else { return ["\(path): schema is not an object"] }
        if let reference = rules["$ref"]?.stringValue {
            let prefix = "#/components/schemas/"
            guard reference.hasPrefix(prefix), let target = document["components"]?["schemas"]?[String(reference.dropFirst(prefix.count))]
            else { return ["\(path): dangling \(reference)"] }
            return problems(value, target, at: path)
        }
        var found: [String] = []
        for keyword in rules.keys where !Self.understood.contains(keyword) {
            found.append("\(path): schema keyword \(keyword) not understood by the checker")
        }
        if let type = rules["type"] {
            let types = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                return found + ["\(path): \(value.compactJSONString.prefix(80)) is not of type \(types)"]
            }
        }
        if let choices = rules["anyOf"]?.arrayValue, !choices.contains(where: { problems(value, $0, at: path).isEmpty }) {
            found.append("\(path): \(value.compactJSONString.prefix(80)) matches none of anyOf")
        }
        if let choices = rules["oneOf"]?.arrayValue {
            let matching = choices.filter { problems(value, $0, at: path).isEmpty }.count
            if matching != 1 { found.append("\(path): \(value.compactJSONString.prefix(80)) matches \(matching) of oneOf, not 1") }
        }
        if let constant = rules["const"], value != constant {
            found.append("\(path): \(value.compactJSONString.prefix(80)) is not \(constant.compactJSONString)")
        }
        if let allowed = rules["enum"]?.arrayValue, !allowed.contains(value) {
            found.append("\(path): \(value.compactJSONString.prefix(80)) is not one of \(JSONValue.array(allowed).compactJSONString)")
        }
        switch value {
        case .object(let members):
            let properties = rules["properties"]?.objectValue ?? [:]
            for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                found.append("\(path).\(name): required, missing")
            }
            if let least = rules["minProperties"]?.intValue, Int64(members.count) < least {
                found.append("\(path): fewer than \(least) properties")
            }
            for (name, member) in members {
                if let schema = properties[name] {
                    found += problems(member, schema, at: "\(path).\(name)")
                } else if rules["additionalProperties"] == .bool(false) {
                    found.append("\(path).\(name): not in the schema")
                } else if let schema = rules["additionalProperties"], schema.objectValue != nil {
                    found += problems(member, schema, at: "\(path).\(name)")
                }
            }
        case .array(let elements):
            if let least = rules["minItems"]?.intValue, Int64(elements.count) < least { found.append("\(path): fewer than \(least) items") }
            if let most = rules["maxItems"]?.intValue, Int64(elements.count) > most { found.append("\(path): more than \(most) items") }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() { found += problems(element, items, at: "\(path)[\(index)]") }
            }
        case .string(let text):
            if let least = rules["minLength"]?.intValue, Int64(text.count) < least { found.append("\(path): shorter than \(least)") }
            if let most = rules["maxLength"]?.intValue, Int64(text.count) > most { found.append("\(path): longer than \(most)") }
        case .int, .double:
            let number = value.doubleValue ?? 0
            if let least = rules["minimum"]?.doubleValue, number < least { found.append("\(path): below \(least)") }
            if let most = rules["maximum"]?.doubleValue, number > most { found.append("\(path): above \(most)") }
            if let bound = rules["exclusiveMinimum"]?.doubleValue, number <= bound { found.append("\(path): not above \(bound)") }
        default:
            break
        }
        return found
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("object", .object), ("array", .array): return true
        case ("integer", .int): return true
        case ("integer", .double(let number)): return number.rounded() == number
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }
}
