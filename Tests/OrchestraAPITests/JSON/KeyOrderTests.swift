import Foundation
import OrchestraAPI
import OrchestraAgents
import Testing

/// API.md §1: `metadata` and `input_data` come back with their keys in the order they were sent.
@Suite struct KeyOrderTests {
    /// Twenty members whose keys are in neither sorted nor hash order.
    static let members = (0..<20).map { index in (key: "key_\((index * 13 + 7) % 20)", value: index) }

    static var object: String {
        "{" + members.map { #""\#($0.key)": \#($0.value)"# }.joined(separator: ", ") + "}"
    }

    static var compactObject: String {
        "{" + members.map { #""\#($0.key)":\#($0.value)"# }.joined(separator: ",") + "}"
    }

    @Test func metadataAndInputDataKeepTheirOrderThroughParseAndWrite() throws {
        let body =
            #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": "#
            + #"{"task": "x", "more": \#(Self.object)}}], "metadata": \#(Self.object)}"#
        let request = try WorkflowValidator().validate(data: Data(body.utf8))
        #expect(request.metadata.keys == Self.members.map(\.key))
        #expect(JSONValue.object(request.metadata).compactJSONString == Self.compactObject)
        #expect(request.tasks[0].inputData.keys == ["task", "more"])
        #expect(JSONValue.object(request.tasks[0].inputData).compactJSONString == #"{"task":"x","more":\#(Self.compactObject)}"#)

        // Stored as compact JSON, read back, and written into a status response.
        let stored = JSONValue.object(request.metadata).compactJSONString
        let metadata = try #require(try JSONValue.parse(stored).objectValue)
        let status = WorkflowStatus(
            workflowId: "w", workflowType: .parallel, createdAt: Timestamp(millisecondsSinceEpoch: 0),
            tasks: [
                TaskStatus(
                    taskId: "w-task-0", agentId: "a", agentRole: "qa", status: .completed,
                    result: ["input": .object(request.tasks[0].inputData)])
            ],
            metadata: metadata)
        let written = status.jsonValue.compactJSONString
        #expect(written.contains(#""metadata":\#(Self.compactObject)"#))
        #expect(written.contains(#""result":{"input":{"task":"x","more":\#(Self.compactObject)}}"#))
    }

    @Test func statusJSONMatchesTheEncodableFields() throws {
        let status = WorkflowStatus(
            workflowId: "w1", workflowType: .graph, status: .partial, createdAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000),
            startedAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_500),
            tasks: [
                TaskStatus(taskId: "w1-task-0", agentId: "a", agentRole: "qa"),
                TaskStatus(
                    taskId: "w1-task-1", agentId: "b", agentRole: "backend", status: .failed, error: "boom", attempts: 2, workerId: "wk",
                    model: "m", provider: "echo", usage: TokenUsage(promptTokens: 1, completionTokens: 2), dependsOn: ["a"]),
            ],
            metadata: ["z": 1, "a": [true]], usage: TokenUsage(promptTokens: 3, completionTokens: 4), error: "1 of 2 tasks failed")
        let viaEncoder = try JSONValue.parse(try JSONEncoder().encode(status))
        #expect(status.jsonValue == viaEncoder)
        #expect(
            status.jsonValue.objectValue?.keys == [
                "workflow_id", "workflow_type", "status", "created_at", "started_at", "completed_at", "tasks", "metadata", "usage", "error",
            ])
        #expect(
            status.tasks[0].jsonValue.compactJSONString.hasPrefix(
                #"{"task_id":"w1-task-0","agent_id":"a","agent_role":"qa","status":"pending","started_at":null,"completed_at":null,"result":null,"error":null}"#
            ))
    }

    @Test func agentTaskJSONMatchesTheEncodableFields() throws {
        let task = AgentTask(
            agentId: "a", agentRole: "qa", inputData: ["task": "x", "b": 1, "a": 2], dependsOn: ["z"],
            options: TaskOptions(llmModel: "m", temperature: 0.5, maxTokens: 10, systemPrompt: "s", timeoutSeconds: 2.5, delegate: true),
            maxAttempts: 2)
        #expect(task.jsonValue == (try JSONValue.parse(try JSONEncoder().encode(task))))
        #expect(task.jsonValue["input_data"]?.objectValue?.keys == ["task", "b", "a"])
        let plain = AgentTask(agentId: "a", agentRole: "qa", inputData: ["task": "x"])
        #expect(plain.jsonValue == (try JSONValue.parse(try JSONEncoder().encode(plain))))
    }

    @Test func patternMetadataKeepsItsOrder() throws {
        let request = try WorkflowPatterns.instantiate(
            name: "code-review", parameters: ["code": "let x = 1", "language": "swift"], metadata: ["z": 1, "team": "core", "a": 2])
        #expect(request.metadata.keys == ["z", "team", "a", "pattern"])
    }
}
