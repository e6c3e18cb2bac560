/// Size limits applied to a submission. Every field has a default.
public struct ValidationLimits: Sendable, Hashable {
    /// Most tasks in one workflow (`MAX_TASKS_PER_WORKFLOW`).
    public var maxTasks: Int
    /// Largest instruction (`input_data.task`), in UTF-8 bytes.
    public var maxInstructionBytes: Int
    /// Largest `input_data` of one task, in bytes of compact JSON.
    public var maxInputDataBytes: Int
    /// Largest `metadata`, in bytes of compact JSON.
    public var maxMetadataBytes: Int
    /// Deepest nesting of arrays and objects in a body, the body itself included (`MAX_JSON_DEPTH`).
    public var maxJSONDepth: Int

    /// Creates limits; each default is documented on its field.
    public init(
        maxTasks: Int = 1000,
        maxInstructionBytes: Int = 256 * 1024,
        maxInputDataBytes: Int = 1024 * 1024,
        maxMetadataBytes: Int = 64 * 1024,
        maxJSONDepth: Int = JSONValue.defaultMaxDepth
    ) {
        self.maxTasks = maxTasks
        self.maxInstructionBytes = maxInstructionBytes
        self.maxInputDataBytes = maxInputDataBytes
        self.maxMetadataBytes = maxMetadataBytes
        self.maxJSONDepth = maxJSONDepth
    }
}
