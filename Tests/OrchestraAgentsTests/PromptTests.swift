import Foundation
import OrchestraAPI
import OrchestraAgents
import Testing

@Suite struct PromptBuilderTests {
    @Test func instructionOnly() {
        #expect(PromptBuilder.userPrompt(inputData: ["task": "Write a login form"]) == "Write a login form")
    }

    @Test func instructionWithInputsAndDependencies() {
        let prompt = PromptBuilder.userPrompt(
            inputData: ["task": "Review the API", "language": "swift", "files": ["a.swift", "b.swift"]],
            dependencies: [
                .init(agentId: "backend-1", output: "GET /users returns a list."),
                .init(agentId: "frontend-1", output: "Line one\nLine two"),
            ]
        )
        let expected = """
            Review the API

            Input:
            {"language":"swift","files":["a.swift","b.swift"]}

            Context from previous steps:
            [Dependency backend-1]
            GET /users returns a list.

            [Dependency frontend-1]
            Line one
            Line two
            """
        #expect(prompt == expected)
    }

    @Test func singleDependencyWithoutInputs() {
        let task = AgentTask(agentId: "2", agentRole: "qa", inputData: ["task": "Test it"])
        let prompt = PromptBuilder.userPrompt(for: task, dependencies: [.init(agentId: "1", output: "code")])
        #expect(prompt == "Test it\n\nContext from previous steps:\n[Dependency 1]\ncode")
    }

    @Test func noInstructionStartsWithInputBlock() {
        #expect(PromptBuilder.userPrompt(inputData: ["code": "x = 1"]) == "Input:\n{\"code\":\"x = 1\"}")
        #expect(PromptBuilder.contextBlock([]) == nil)
    }
}

@Suite struct AgentPromptsTests {
    @Test func knownAndUnknownRoles() {
        let prompts = AgentPrompts.builtIn
        for role in AgentRole.allCases {
            #expect(prompts.systemPrompt(for: role.rawValue) == role.defaultSystemPrompt)
        }
        #expect(prompts.systemPrompt(for: " Frontend ").contains("React"))
        #expect(prompts.systemPrompt(for: "debugger").contains("root cause"))
        #expect(prompts.systemPrompt(for: "designer") == AgentRole.genericSystemPrompt)
        #expect(AgentRole(agentRole: "QA") == .qa)
        #expect(Set(AgentRole.allCases.map(\.defaultSystemPrompt)).count == 5)
    }

    @Test func overridesFromJSON() throws {
        let prompts = try AgentPrompts.decode(Data(#"{"Frontend": "Only Vue.", "designer": "Draw.", "default": "Be brief."}"#.utf8))
        #expect(prompts.systemPrompt(for: "frontend") == "Only Vue.")
        #expect(prompts.systemPrompt(for: "designer") == "Draw.")
        #expect(prompts.systemPrompt(for: "unknown") == "Be brief.")
        #expect(prompts.systemPrompt(for: "backend") == AgentRole.backend.defaultSystemPrompt)
    }

    @Test func loadsFileAndReportsErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data(#"{"qa": "Test everything."}"#.utf8).write(to: good)
        #expect(try AgentPrompts.load(path: good.path).systemPrompt(for: "qa") == "Test everything.")

        let cases: [(String, String)] = [
            (#"{"qa": 3}"#, "the prompt for role 'qa' is not a string"),
            (#"{"qa": "  "}"#, "the prompt for role 'qa' is empty"),
            (#"["qa"]"#, "expected a JSON object"),
            ("{nope", "not valid JSON"),
        ]
        for (index, (contents, message)) in cases.enumerated() {
            let file = directory.appendingPathComponent("bad\(index).json")
            try Data(contents.utf8).write(to: file)
            let error = #expect(throws: AgentPromptsError.self) { try AgentPrompts.load(path: file.path) }
            #expect(error?.description.contains(message) == true)
            #expect(error?.description.contains(file.path) == true)
        }
        let missing = #expect(throws: AgentPromptsError.self) {
            try AgentPrompts.load(path: directory.appendingPathComponent("none.json").path)
        }
        #expect(missing?.description.hasSuffix("cannot be read") == true)
    }
}
