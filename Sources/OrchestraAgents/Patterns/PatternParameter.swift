public import OrchestraAPI

/// One parameter of a ``WorkflowPattern``: its name (the key in the parameters object), what it
/// means, its kind and whether it must be given.
public struct PatternParameter: Sendable, Hashable {
    /// The value a parameter takes.
    public enum Kind: Sendable, Hashable {
        /// Free text, not blank, at most `maxBytes` bytes of UTF-8.
        case text(maxBytes: Int)
        /// A short name of 1 to `maxLength` characters of `[A-Za-z0-9+#._ -]` (e.g. a language).
        case name(maxLength: Int)
        /// A model name, 1 to 200 characters (as `llm_model` of a task).
        case model
        /// A number within `range`.
        case number(ClosedRange<Double>)
    }

    /// The key in the parameters object, e.g. `feature`.
    public var name: String
    /// What the parameter means.
    public var description: String
    /// The value it takes.
    public var kind: Kind
    /// Whether it must be given.
    public var isRequired: Bool

    /// Creates a parameter.
    public init(name: String, description: String, kind: Kind, isRequired: Bool) {
        self.name = name
        self.description = description
        self.kind = kind
        self.isRequired = isRequired
    }

    /// The characters a ``Kind/name(maxLength:)`` value may use, as a pattern for messages and schemas.
    public static func namePattern(maxLength: Int) -> String { "^[A-Za-z0-9+#._ -]{1,\(maxLength)}$" }

    /// The parameter's JSON Schema (draft 2020-12 subset, as OpenAPI 3.1 uses).
    public var jsonSchema: JSONValue {
        var schema: JSONObject = ["description": .string(description)]
        switch kind {
        case .text(let maxBytes):
            schema["type"] = "string"
            schema["minLength"] = 1
            schema["pattern"] = "\\S"  // not blank
            schema["description"] = .string(description + " At most \(maxBytes) bytes of UTF-8.")
        case .name(let maxLength):
            schema["type"] = "string"
            schema["pattern"] = .string(Self.namePattern(maxLength: maxLength))
        case .model:
            schema["type"] = "string"
            schema["minLength"] = 1
            schema["maxLength"] = 200
        case .number(let range):
            schema["type"] = "number"
            schema["minimum"] = .double(range.lowerBound)
            schema["maximum"] = .double(range.upperBound)
        }
        return .object(schema)
    }
}

extension PatternParameter {
    /// `llm_model`: every pattern accepts it and applies it to all its tasks.
    public static let llmModel = PatternParameter(
        name: "llm_model", description: "Model for every task of the workflow instead of the configured default.", kind: .model,
        isRequired: false)

    /// `temperature`: every pattern accepts it and applies it to all its tasks.
    public static let temperature = PatternParameter(
        name: "temperature", description: "Sampling temperature for every task of the workflow.", kind: .number(0...2),
        isRequired: false)
}
