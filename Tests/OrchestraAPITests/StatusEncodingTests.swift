import Foundation
import OrchestraAPI
import Testing

@Suite struct StatusEncodingTests {
    private func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func pendingWorkflowHasExplicitNulls() throws {
        let status = WorkflowStatus(
            workflowId: "wf-1",
            workflowType: .sequential,
            createdAt: Timestamp(millisecondsSinceEpoch: 1_704_110_400_000),
            tasks: [TaskStatus(taskId: "wf-1-task-0", agentId: "a", agentRole: "backend")],
            metadata: ["team": "x", "n": 3]
        )
        let expected =
            #"{"completed_at":null,"created_at":"2024-01-01T12:00:00.000Z","metadata":{"n":3,"team":"x"},"#
            + #""started_at":null,"status":"pending","tasks":[{"agent_id":"a","agent_role":"backend","completed_at":null,"#
            + #""error":null,"result":null,"started_at":null,"status":"pending","task_id":"wf-1-task-0"}],"#
            + #""workflow_id":"wf-1","workflow_type":"sequential"}"#
        #expect(try encode(status) == expected)
    }

    @Test func additionsAppearOnlyWhenSet() throws {
        let task = TaskStatus(
            taskId: "w-task-1",
            agentId: "b",
            agentRole: "qa",
            status: .completed,
            startedAt: Timestamp(millisecondsSinceEpoch: 1000),
            completedAt: Timestamp(millisecondsSinceEpoch: 2500),
            result: ["output": "done"],
            attempts: 2,
            workerId: "w7",
            model: "echo",
            provider: "echo",
            usage: TokenUsage(promptTokens: 3, completionTokens: 4),
            dependsOn: ["a"]
        )
        let expected =
            #"{"agent_id":"b","agent_role":"qa","attempts":2,"completed_at":"1970-01-01T00:00:02.500Z","#
            + #""depends_on":["a"],"error":null,"model":"echo","provider":"echo","result":{"output":"done"},"#
            + #""started_at":"1970-01-01T00:00:01.000Z","status":"completed","task_id":"w-task-1","#
            + #""usage":{"completion_tokens":4,"prompt_tokens":3,"total_tokens":7},"worker_id":"w7"}"#
        #expect(try encode(task) == expected)

        var workflow = WorkflowStatus(
            workflowId: "w", workflowType: .graph, status: .partial, createdAt: Timestamp(millisecondsSinceEpoch: 0), tasks: [])
        workflow.usage = TokenUsage(promptTokens: 1, completionTokens: 1) + TokenUsage(promptTokens: 2, completionTokens: 5)
        workflow.error = "task b failed"
        let json = try encode(workflow)
        #expect(json.contains(#""usage":{"completion_tokens":6,"prompt_tokens":3,"total_tokens":9}"#))
        #expect(json.contains(#""error":"task b failed""#))
        #expect(json.contains(#""status":"partial""#))
    }

    @Test func statusRoundTrips() throws {
        let status = WorkflowStatus(
            workflowId: "w",
            workflowType: .parallel,
            status: .running,
            createdAt: Timestamp(millisecondsSinceEpoch: 5),
            startedAt: Timestamp(millisecondsSinceEpoch: 6),
            tasks: [TaskStatus(taskId: "w-task-0", agentId: "a", agentRole: "qa", status: .failed, error: "boom", attempts: 3)],
            metadata: ["k": [1, 2]]
        )
        let data = try JSONEncoder().encode(status)
        #expect(try JSONDecoder().decode(WorkflowStatus.self, from: data) == status)
    }

    @Test func terminalStates() {
        #expect(WorkflowState.terminal(completed: 3, failed: 0) == .completed)
        #expect(WorkflowState.terminal(completed: 0, failed: 2) == .failed)
        #expect(WorkflowState.terminal(completed: 1, failed: 1) == .partial)
        #expect(WorkflowState.allCases.map(\.rawValue) == ["pending", "running", "completed", "failed", "partial"])
        #expect(TaskState.allCases.map(\.rawValue) == ["pending", "running", "completed", "failed"])
        #expect(WorkflowState.partial.isTerminal && !WorkflowState.running.isTerminal)
    }
}
