public import OrchestraAPI

/// The pre-built workflow patterns (the seed's `WorkflowPatterns`): a registry by name, and
/// typed shortcuts.
///
/// ```swift
/// let request = try WorkflowPatterns.instantiate(name: "code-review", parameters: ["code": "...", "language": "swift"])
/// let same = try WorkflowPatterns.codeReview(code: "...", language: "swift")
/// ```
public enum WorkflowPatterns {
    /// Every pattern, in the order they are listed.
    public static let all: [WorkflowPattern] = [fullStackDevelopment, codeReview, coordinatorSupervised]

    /// The pattern named `name`, if there is one.
    public static func pattern(named name: String) -> WorkflowPattern? {
        all.first { $0.name == name }
    }

    /// A validated request from the pattern named `name` (see
    /// ``WorkflowPattern/instantiate(parameters:workflowId:metadata:limits:)``).
    ///
    /// - Throws: ``PatternError``: unknown pattern (``PatternError/isUnknownPattern``), or invalid parameters.
    public static func instantiate(
        name: String,
        parameters: JSONObject,
        workflowId: String? = nil,
        metadata: JSONObject = [:],
        limits: ValidationLimits = ValidationLimits()
    ) throws(PatternError) -> WorkflowRequest {
        guard let pattern = pattern(named: name) else { throw PatternError(.unknownPattern(name)) }
        return try pattern.instantiate(parameters: parameters, workflowId: workflowId, metadata: metadata, limits: limits)
    }

    /// `full-stack-development` for `feature` (the seed's `full_stack_development_pipeline`).
    public static func fullStackDevelopment(feature: String, workflowId: String? = nil) throws(PatternError) -> WorkflowRequest {
        try fullStackDevelopment.instantiate(parameters: ["feature": .string(feature)], workflowId: workflowId)
    }

    /// `code-review` of `code` in `language` (the seed's `code_review_pipeline`).
    public static func codeReview(code: String, language: String, workflowId: String? = nil) throws(PatternError) -> WorkflowRequest {
        try codeReview.instantiate(parameters: ["code": .string(code), "language": .string(language)], workflowId: workflowId)
    }

    /// `coordinator-supervised` for `objective` (the seed's `coordinator_supervised_workflow`).
    public static func coordinatorSupervised(objective: String, workflowId: String? = nil) throws(PatternError) -> WorkflowRequest {
        try coordinatorSupervised.instantiate(parameters: ["objective": .string(objective)], workflowId: workflowId)
    }

    /// An agent of a built-in role with the built-in prompt (pattern ids are valid by construction).
    static func agent(_ role: AgentRole, _ agentId: String, systemPrompt: String? = nil) -> AgentSpec {
        AgentSpec(
            agentId: agentId, role: role.rawValue, systemPrompt: systemPrompt ?? role.defaultSystemPrompt,
            hasCustomSystemPrompt: systemPrompt != nil)
    }
}
