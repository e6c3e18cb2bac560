import OrchestraAPI
import Testing

@Suite("JSONValueEncoder: Encodable models to a JSON tree, members in the order encode(to:) writes them")
struct JSONValueEncoderTests {
    /// A completed and a pending task, usage, an error and metadata in a non-alphabetical order.
    static let status: WorkflowStatus = {
        var status = WorkflowStatus(
            workflowId: "w", workflowType: .graph, status: .partial, createdAt: Timestamp(millisecondsSinceEpoch: 1_704_110_400_000),
            tasks: [
                TaskStatus(
                    taskId: "w-task-0", agentId: "b", agentRole: "qa", status: .completed,
                    startedAt: Timestamp(millisecondsSinceEpoch: 1000),
                    completedAt: Timestamp(millisecondsSinceEpoch: 2500), result: ["output": "done", "agent_id": "b", "a": [1, 2.5, nil]],
                    attempts: 2, workerId: "w7", model: "echo", provider: "echo", usage: TokenUsage(promptTokens: 3, completionTokens: 4),
                    dependsOn: ["a"]),
                TaskStatus(taskId: "w-task-1", agentId: "c", agentRole: "backend"),
            ],
            metadata: ["zeta": 1, "alpha": ["y": true, "x": nil]])
        status.usage = TokenUsage(promptTokens: 3, completionTokens: 4)
        status.error = "task c failed"
        return status
    }()

    @Test("The status models encode byte for byte as their hand-written response bodies, nulls included")
    func matchesTheResponseBodies() throws {
        let encoded = try JSONValueEncoder().encode(Self.status)
        #expect(encoded.compactJSONString == Self.status.jsonValue.compactJSONString)
        #expect(encoded["tasks"]?[1]?["started_at"] == .null)
        let task = AgentTask(
            agentId: "a", agentRole: "qa", inputData: ["task": "x", "b": 1], dependsOn: ["z"],
            options: TaskOptions(llmModel: "m", temperature: 0.5, delegate: true), maxAttempts: 2)
        #expect(try JSONValueEncoder().encode(task).compactJSONString == task.jsonValue.compactJSONString)
    }

    struct Sample: Encodable {
        enum Kind: String, Encodable { case one }
        struct Empty: Encodable {}
        var zulu = 1
        var alpha: String? = nil
        var kind = Kind.one
        var big = UInt64.max
        var small: Int8 = -3
        var nested = [[1, 2], []]
        var empty = Empty()
        var tree: JSONValue = ["k": [nil, false]]
    }

    @Test("Declaration order, absent optionals left out, integers exact where Int64 holds them, JSON values as they are")
    func encodesEveryKind() throws {
        let json = try JSONValueEncoder().encode(Sample())
        #expect(
            json.compactJSONString
                == #"{"zulu":1,"kind":"one","big":1.8446744073709552e+19,"small":-3,"nested":[[1,2],[]],"empty":{},"tree":{"k":[null,false]}}"#
        )
        #expect(try JSONValueEncoder().encode(["b": 2, "a": 1] as [String: Int]).objectValue?.count == 2)
        #expect(try JSONValueEncoder().encode("plain") == "plain")
    }
}
