/// The seed README's example workflows: its curl example and its sequential, parallel and graph
/// examples, with the same ids, roles, order and dependencies. Where the seed elides a task's
/// `input_data` (`...`), an instruction fitting the role is filled in, since `input_data` is required.
enum SeedExamples {
    struct Example: Sendable {
        var name: String
        var body: String
    }

    static let all: [Example] = [curl, sequential, parallel, graph]

    /// "Testing Endpoints": the curl example, verbatim.
    static let curl = Example(
        name: "curl example (sequential, one task)",
        body: """
            {
              "workflow_type": "sequential",
              "tasks": [
                {
                  "agent_id": "test-1",
                  "agent_role": "backend",
                  "input_data": {"task": "Create API"}
                }
              ]
            }
            """)

    /// "Sequential Workflow": task 1 → task 2 → task 3, each receiving the previous output.
    static let sequential = Example(
        name: "sequential (1 → 2 → 3)",
        body: """
            {
              "workflow_type": "sequential",
              "tasks": [
                {"agent_id": "1", "agent_role": "frontend", "input_data": {"task": "Create a login form component"}},
                {"agent_id": "2", "agent_role": "backend", "input_data": {"task": "Create the login API endpoint for the form"}},
                {"agent_id": "3", "agent_role": "qa", "input_data": {"task": "Review the login form and endpoint"}}
              ]
            }
            """)

    /// "Parallel Workflow": three QA tasks at once.
    static let parallel = Example(
        name: "parallel (1, 2, 3 at once)",
        body: """
            {
              "workflow_type": "parallel",
              "tasks": [
                {"agent_id": "1", "agent_role": "qa", "input_data": {"task": "Review the authentication module"}},
                {"agent_id": "2", "agent_role": "qa", "input_data": {"task": "Review the payment module"}},
                {"agent_id": "3", "agent_role": "qa", "input_data": {"task": "Review the notification module"}}
              ]
            }
            """)

    /// "Graph Workflow": 1 and 2 in parallel, 3 after both, 4 after 3.
    static let graph = Example(
        name: "graph (1 & 2 → 3 → 4)",
        body: """
            {
              "workflow_type": "graph",
              "tasks": [
                {"agent_id": "1", "agent_role": "frontend", "input_data": {"task": "Build the checkout page"}, "depends_on": []},
                {"agent_id": "2", "agent_role": "backend", "input_data": {"task": "Build the checkout API"}, "depends_on": []},
                {"agent_id": "3", "agent_role": "qa", "input_data": {"task": "Test checkout end to end"}, "depends_on": ["1", "2"]},
                {"agent_id": "4", "agent_role": "debugger", "input_data": {"task": "Fix what QA found"}, "depends_on": ["3"]}
              ]
            }
            """)
}
