import OrchestraAPI

/// The OpenAPI 3.1 description of the gateway, served at `GET /openapi.json` and rendered by
/// `GET /docs`. Built once at startup; operations that need `X-API-Key` say so when a key is set.
struct OpenAPIDocument: Sendable {
    /// The document.
    let json: JSONValue
    /// The document as compact JSON, as served.
    let bytes: [UInt8]

    /// The document for a gateway that does (`requiresAPIKey`) or does not check `X-API-Key`,
    /// with `maxTasks` as the `tasks` limit.
    init(requiresAPIKey: Bool, maxTasks: Int) {
        var document: JSONObject = [
            "openapi": "3.1.0",
            "info": [
                "title": .string(ServiceRoutes.serviceName),
                "version": .string(GatewayServer.version),
                "description": """
                Runs multi-agent LLM workflows (sequential, parallel or graph) on a Redis-backed cluster of \
                stateless gateways and workers. Errors use FastAPI's shape: `{"detail": "..."}`, and for \
                validation `{"detail": [{"type": "...", "loc": [...], "msg": "...", "input": ..., "ctx": {...}}]}`.
                """,
            ],
            "paths": .object(Self.paths(requiresAPIKey: requiresAPIKey)),
            "components": [
                "schemas": .object(Self.schemas(maxTasks: maxTasks)),
                "securitySchemes": [
                    "APIKeyHeader": [
                        "type": "apiKey", "in": "header", "name": "X-API-Key",
                        "description": "Required on every operation except the public ones when the service runs with API_KEY.",
                    ]
                ],
            ],
        ]
        if requiresAPIKey {
            document["security"] = [["APIKeyHeader": []]]
        }
        self.json = .object(document)
        self.bytes = Array(json.compactJSONString.utf8)
    }

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    /// A JSON response of schema `schema`.
    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    /// A string or `null`.
    static func nullable(_ type: String, format: String? = nil, description: String) -> JSONValue {
        var schema: JSONObject = ["type": [.string(type), "null"], "description": .string(description)]
        if let format { schema["format"] = .string(format) }
        return .object(schema)
    }

    /// A string of `length` characters.
    static func stringSchema(length: ClosedRange<Int>, description: String) -> JSONValue {
        [
            "type": "string", "minLength": .int(Int64(length.lowerBound)), "maxLength": .int(Int64(length.upperBound)),
            "description": .string(description),
        ]
    }

    /// An integer in `range`.
    static func integerSchema(in range: ClosedRange<Int>) -> JSONValue {
        ["type": "integer", "minimum": .int(Int64(range.lowerBound)), "maximum": .int(Int64(range.upperBound))]
    }

    /// A number in `range`, its lower bound excluded when `lowerExclusive`.
    static func numberSchema(in range: ClosedRange<Double>, lowerExclusive: Bool = false) -> JSONValue {
        // Whole bounds are written as integers, so `2` is not `2.0`.
        func bound(_ value: Double) -> JSONValue { Int64(exactly: value).map(JSONValue.int) ?? .double(value) }
        return [
            "type": "number", lowerExclusive ? "exclusiveMinimum" : "minimum": bound(range.lowerBound), "maximum": bound(range.upperBound),
        ]
    }

    /// An object schema.
    static func object(_ properties: JSONObject, required: [String], description: String) -> JSONValue {
        [
            "type": "object", "description": .string(description), "properties": .object(properties),
            "required": .array(required.map(JSONValue.string)),
        ]
    }
}
