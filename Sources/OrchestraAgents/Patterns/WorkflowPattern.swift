public import OrchestraAPI

/// A pre-built workflow: a name, what it does, the parameters it takes, and how it turns them
/// into tasks. ``instantiate(parameters:workflowId:metadata:limits:)`` yields a request that has
/// passed ``WorkflowValidator``, ready to submit like any `POST /run-graph` body.
public struct WorkflowPattern: Sendable {
    /// The pattern's name, e.g. `code-review` (the path segment of `POST /patterns/{name}`).
    public let name: String
    /// What the pattern does.
    public let description: String
    /// The workflow type of the requests it produces.
    public let workflowType: WorkflowType
    /// Its parameters, in order; every pattern also takes ``PatternParameter/llmModel`` and
    /// ``PatternParameter/temperature``, applied to all its tasks.
    public let parameters: [PatternParameter]
    private let makeTasks: @Sendable (PatternArguments) -> [AgentTask]

    /// Creates a pattern; `makeTasks` receives checked arguments and returns the tasks in order.
    public init(
        name: String,
        description: String,
        workflowType: WorkflowType,
        parameters: [PatternParameter],
        makeTasks: @escaping @Sendable (PatternArguments) -> [AgentTask]
    ) {
        self.name = name
        self.description = description
        self.workflowType = workflowType
        self.parameters = parameters + [.llmModel, .temperature]
        self.makeTasks = makeTasks
    }

    /// The parameters object's JSON Schema: `{"type": "object", "properties": {...}, "required": [...]}`.
    public var parametersSchema: JSONValue {
        [
            "type": "object",
            "properties": .object(JSONObject(parameters.map { ($0.name, $0.jsonSchema) })),
            "required": .array(parameters.filter(\.isRequired).map { .string($0.name) }),
        ]
    }

    /// The pattern as listed by `GET /patterns`: `name`, `description`, `workflow_type`, `parameters`
    /// (the JSON Schema).
    public var jsonValue: JSONValue {
        [
            "name": .string(name), "description": .string(description), "workflow_type": .string(workflowType.rawValue),
            "parameters": parametersSchema,
        ]
    }

    /// The tasks for checked `arguments`, before the shared options are applied.
    public func tasks(for arguments: PatternArguments) -> [AgentTask] {
        makeTasks(arguments)
    }

    /// A validated request for `parameters` (keys not among ``parameters`` are ignored).
    /// `metadata` is stored with the workflow, with `pattern` set to the name unless given.
    ///
    /// - Throws: ``PatternError`` listing every invalid parameter (loc `["body", "<parameter>"]`),
    ///   or the validator's issues (for example an invalid `workflow_id`, loc `["body", "workflow_id"]`).
    public func instantiate(
        parameters: JSONObject,
        workflowId: String? = nil,
        metadata: JSONObject = [:],
        limits: ValidationLimits = ValidationLimits()
    ) throws(PatternError) -> WorkflowRequest {
        let arguments = try PatternArguments.check(parameters, against: self.parameters)
        var tasks = makeTasks(arguments)
        let model = arguments.values["llm_model"]?.stringValue
        let temperature = arguments.number("temperature")
        for index in tasks.indices {
            tasks[index].options.llmModel = tasks[index].options.llmModel ?? model
            tasks[index].options.temperature = tasks[index].options.temperature ?? temperature
        }
        var stored = metadata
        if stored["pattern"] == nil { stored["pattern"] = .string(name) }

        var body: JSONObject = ["workflow_type": .string(workflowType.rawValue), "metadata": .object(stored)]
        if let workflowId { body["workflow_id"] = .string(workflowId) }
        body["tasks"] = .array(tasks.map(\.jsonValue))
        do {
            return try WorkflowValidator(limits: limits).validate(.object(body))
        } catch {
            throw PatternError(.invalid(error.issues))
        }
    }
}
