import Foundation
import OrchestraCore
import Testing

@Suite struct WorkflowValidatorTests {
    @Test func acceptsTheSeedGraphExample() throws {
        let body = Fixture.body(
            "graph",
            [
                Fixture.task("1", role: "frontend", dependsOn: []), Fixture.task("2"),
                Fixture.task("3", role: "qa", dependsOn: ["1", "2"]), Fixture.task("4", role: "debugger", dependsOn: ["3"]),
            ],
            extra: ["metadata": ["owner": "me"], "unknown_extra": true]
        )
        let request = try WorkflowValidator().validate(body)
        #expect(request.workflowId == nil)
        #expect(request.workflowType == .graph)
        #expect(request.tasks.map(\.agentId) == ["1", "2", "3", "4"])
        #expect(request.tasks[2].dependsOn == ["1", "2"])
        #expect(request.tasks[1].dependsOn == [])
        #expect(request.tasks[0].instruction == "do 1")
        #expect(request.metadata == ["owner": "me"])
    }

    @Test func acceptsOptionalTaskFields() throws {
        let extra: JSONObject = [
            "llm_model": "gpt-4o", "temperature": 1, "max_tokens": 256.0, "system_prompt": "Be terse.",
            "timeout_s": 30.5, "max_attempts": 5, "workflow_id": nil,
        ]
        let request = try WorkflowValidator().validate(
            Fixture.body("parallel", [Fixture.task("a", extra: extra)], extra: ["workflow_id": "wf.1:x_y-z"]))
        let task = try #require(request.tasks.first)
        #expect(request.workflowId == "wf.1:x_y-z")
        #expect(task.llmModel == "gpt-4o")
        #expect(task.temperature == 1)
        #expect(task.maxTokens == 256)
        #expect(task.systemPrompt == "Be terse.")
        #expect(task.timeoutSeconds == 30.5)
        #expect(task.maxAttempts == 5)
    }

    @Test func invalidJSONBody() {
        #expect(throws: WorkflowValidationError(issues: [.invalidJSON])) {
            try WorkflowValidator().validate(data: Data("{\"tasks\": [".utf8))
        }
        #expect(ValidationIssue.invalidJSON == ValidationIssue(loc: ["body"], msg: "JSON decode error", type: "json_invalid"))
    }

    @Test func bodyMustBeAnObject() {
        let issue = Fixture.single([1, 2])
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type"
                ))
    }

    @Test func missingRequiredTopLevelFieldsAreAllReported() {
        let issues = Fixture.issues(["metadata": "nope"])
        #expect(
            issues == [
                ValidationIssue(loc: ["body", "workflow_type"], msg: "Field required", type: "missing"),
                ValidationIssue(loc: ["body", "tasks"], msg: "Field required", type: "missing"),
                ValidationIssue(loc: ["body", "metadata"], msg: "Input should be a valid dictionary", type: "dict_type"),
            ]
        )
    }

    @Test func workflowTypeEnum() {
        let issue = Fixture.single(Fixture.body("dag", [Fixture.task("a")]))
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body", "workflow_type"], msg: "Input should be 'sequential', 'parallel' or 'graph'", type: "enum"))
    }

    @Test func tasksListRules() {
        #expect(
            Fixture.single(["workflow_type": "graph", "tasks": [:]])
                == ValidationIssue(loc: ["body", "tasks"], msg: "Input should be a valid list", type: "list_type"))
        #expect(
            Fixture.single(Fixture.body("graph", []))
                == ValidationIssue(
                    loc: ["body", "tasks"], msg: "List should have at least 1 item after validation, not 0", type: "too_short")
        )
        let three = Fixture.body("parallel", [Fixture.task("a"), Fixture.task("b"), Fixture.task("c")])
        #expect(
            Fixture.single(three, limits: ValidationLimits(maxTasks: 2))
                == ValidationIssue(
                    loc: ["body", "tasks"], msg: "List should have at most 2 items after validation, not 3", type: "too_long")
        )
        #expect(
            Fixture.single(Fixture.body("parallel", [Fixture.task("a"), "x"]))
                == ValidationIssue(
                    loc: ["body", "tasks", 1], msg: "Input should be a valid dictionary or object to extract fields from",
                    type: "model_attributes_type")
        )
    }

    @Test func missingTaskFields() {
        let issues = Fixture.issues(Fixture.body("parallel", [["depends_on": []]]))
        #expect(
            issues.map(\.loc) == [
                ["body", "tasks", 0, "agent_id"], ["body", "tasks", 0, "agent_role"], ["body", "tasks", 0, "input_data"],
            ])
        #expect(issues.allSatisfy { $0.type == "missing" && $0.msg == "Field required" })
    }

    @Test(arguments: [
        (JSONValue.int(5), "string_type", "Input should be a valid string"),
        ("", "string_too_short", "String should have at least 1 character"),
        (.string(String(repeating: "a", count: 129)), "string_too_long", "String should have at most 128 characters"),
        ("has space", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'"),
        ("{tag}", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'"),
        ("a/b", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'"),
        ("tab\t", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'"),
        ("é", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'"),
    ])
    func identifierSyntax(value: JSONValue, type: String, msg: String) {
        let taskIssue = Fixture.single(Fixture.body("parallel", [Fixture.task("ok"), Fixture.task("x", extra: ["agent_id": value])]))
        #expect(taskIssue == ValidationIssue(loc: ["body", "tasks", 1, "agent_id"], msg: msg, type: type))
        let workflowIssue = Fixture.single(Fixture.body("parallel", [Fixture.task("ok")], extra: ["workflow_id": value]))
        #expect(workflowIssue == ValidationIssue(loc: ["body", "workflow_id"], msg: msg, type: type))
    }

    @Test func identifierOfMaximumLengthIsAccepted() throws {
        let id = String(repeating: "z", count: 128)
        #expect(try WorkflowValidator().validate(Fixture.body("parallel", [Fixture.task(id)])).tasks[0].agentId == id)
        #expect(IdentifierSyntax.isValid("a.b:c_d-E9"))
        #expect(!IdentifierSyntax.isValid("a b"))
    }

    @Test func agentRoleLength() {
        #expect(
            Fixture.single(Fixture.body("parallel", [Fixture.task("a", role: "")]))
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "agent_role"], msg: "String should have at least 1 character", type: "string_too_short")
        )
        #expect(
            Fixture.single(Fixture.body("parallel", [Fixture.task("a", role: String(repeating: "r", count: 65))]))
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "agent_role"], msg: "String should have at most 64 characters", type: "string_too_long")
        )
    }

    @Test func inputDataRules() {
        func issue(_ inputData: JSONValue, limits: ValidationLimits = ValidationLimits()) -> ValidationIssue? {
            Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: ["input_data": inputData])]), limits: limits)
        }
        #expect(
            issue("text")
                == ValidationIssue(loc: ["body", "tasks", 0, "input_data"], msg: "Input should be a valid dictionary", type: "dict_type"))
        #expect(
            issue([:])
                == ValidationIssue(loc: ["body", "tasks", 0, "input_data"], msg: "input_data must not be empty", type: "value_error"))
        #expect(
            issue(["task": 7])
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data", "task"], msg: "Input should be a valid string", type: "string_type"))
        #expect(
            issue(["task": "  "])
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data", "task"], msg: "the instruction must not be blank", type: "value_error"))
        #expect(
            issue(["task": "12345"], limits: ValidationLimits(maxInstructionBytes: 4))
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data", "task"], msg: "the instruction is 5 bytes; at most 4 are allowed",
                    type: "value_error")
        )
        // {"code":"xxxxxxxxxx"} is 21 bytes of compact JSON.
        #expect(
            issue(["code": "xxxxxxxxxx"], limits: ValidationLimits(maxInputDataBytes: 20))
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data"], msg: "input_data is 21 bytes as JSON; at most 20 are allowed",
                    type: "value_error")
        )
    }

    @Test func metadataSizeLimit() {
        let body = Fixture.body("parallel", [Fixture.task("a")], extra: ["metadata": ["k": "vvvv"]])  // {"k":"vvvv"} = 12 bytes
        #expect(
            Fixture.single(body, limits: ValidationLimits(maxMetadataBytes: 11))
                == ValidationIssue(
                    loc: ["body", "metadata"], msg: "metadata is 12 bytes as JSON; at most 11 are allowed", type: "value_error")
        )
    }

    @Test func dependsOnShape() {
        let issues = Fixture.issues(
            Fixture.body(
                "graph",
                [
                    Fixture.task("a"), Fixture.task("b", extra: ["depends_on": ["a", 3, nil]]),
                    Fixture.task("c", extra: ["depends_on": nil]),
                ]))
        #expect(
            issues == [
                ValidationIssue(loc: ["body", "tasks", 1, "depends_on", 1], msg: "Input should be a valid string", type: "string_type"),
                ValidationIssue(loc: ["body", "tasks", 1, "depends_on", 2], msg: "Input should be a valid string", type: "string_type"),
                ValidationIssue(loc: ["body", "tasks", 2, "depends_on"], msg: "Input should be a valid list", type: "list_type"),
            ]
        )
    }

    @Test(arguments: [
        ("llm_model", JSONValue.string(""), "string_too_short", "String should have at least 1 character"),
        ("llm_model", .string(String(repeating: "m", count: 201)), "string_too_long", "String should have at most 200 characters"),
        ("temperature", "hot", "float_type", "Input should be a valid number"),
        ("temperature", -0.1, "greater_than_equal", "Input should be greater than or equal to 0"),
        ("temperature", 2.5, "less_than_equal", "Input should be less than or equal to 2"),
        ("max_tokens", 0, "greater_than_equal", "Input should be greater than or equal to 1"),
        ("max_tokens", 1_000_001, "less_than_equal", "Input should be less than or equal to 1000000"),
        ("max_tokens", 1.5, "int_from_float", "Input should be a valid integer, got a number with a fractional part"),
        ("max_tokens", true, "int_type", "Input should be a valid integer"),
        ("system_prompt", 1, "string_type", "Input should be a valid string"),
        ("timeout_s", 0, "greater_than", "Input should be greater than 0"),
        ("timeout_s", 3600.5, "less_than_equal", "Input should be less than or equal to 3600"),
        ("max_attempts", 21, "less_than_equal", "Input should be less than or equal to 20"),
        ("max_attempts", 0, "greater_than_equal", "Input should be greater than or equal to 1"),
    ])
    func optionalTaskFieldRules(field: String, value: JSONValue, type: String, msg: String) {
        let issue = Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: [field: value])]))
        #expect(issue == ValidationIssue(loc: ["body", "tasks", 0, .key(field)], msg: msg, type: type))
    }

    @Test func errorResponseEncoding() throws {
        let response = WorkflowValidationError(issues: [
            ValidationIssue(loc: ["body", "tasks", 2, "depends_on", 0], msg: "m", type: "value_error")
        ]).response
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(response), as: UTF8.self)
        #expect(json == #"{"detail":[{"loc":["body","tasks",2,"depends_on",0],"msg":"m","type":"value_error"}]}"#)
        #expect(try JSONDecoder().decode(ValidationErrorResponse.self, from: Data(json.utf8)) == response)
        #expect(
            String(decoding: try encoder.encode(ValidationErrorResponse.invalidJSON), as: UTF8.self)
                == #"{"detail":[{"loc":["body"],"msg":"JSON decode error","type":"json_invalid"}]}"#)
    }
}
