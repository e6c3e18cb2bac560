import Foundation
import OrchestraAPI
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
        #expect(task.options.llmModel == "gpt-4o")
        #expect(task.options.temperature == 1)
        #expect(task.options.maxTokens == 256)
        #expect(task.options.systemPrompt == "Be terse.")
        #expect(task.options.timeoutSeconds == 30.5)
        #expect(task.maxAttempts == 5)
    }

    @Test func invalidJSONBodyIsReportedAsFastAPIDoes() {
        // `{"workflow_type":` is 17 bytes, so the value that is not JSON starts at byte 17.
        let error = #expect(throws: WorkflowValidationError.self) {
            try WorkflowValidator().validate(data: Data(#"{"workflow_type":sequential}"#.utf8))
        }
        #expect(
            error?.issues == [
                ValidationIssue(
                    loc: ["body", 17], msg: "JSON decode error", type: "json_invalid", input: [:], ctx: ["error": "Expecting value"])
            ])
        #expect(
            throws: WorkflowValidationError(issues: [
                ValidationIssue(
                    loc: ["body", 11], msg: "JSON decode error", type: "json_invalid", input: [:], ctx: ["error": "Expecting value"])
            ])
        ) {
            try WorkflowValidator().validate(data: Data("{\"tasks\": [".utf8))
        }
    }

    @Test func validatesBytesInPlace() throws {
        let body = Array(
            #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "x"}}]}"#.utf8)
        let request = try body.withUnsafeBytes { raw in try WorkflowValidator().validate(bytes: raw) }
        #expect(request.tasks.map(\.agentId) == ["a"])
        let broken = Array("[1,]".utf8)
        let error = broken.withUnsafeBytes { raw in
            #expect(throws: WorkflowValidationError.self) { try WorkflowValidator().validate(bytes: raw) }
        }
        #expect(error?.issues.first?.loc == ["body", 2])
        #expect(error?.issues.first?.ctx == ["error": "Illegal trailing comma before end of array"])
    }

    /// The body itself is depth 1, `tasks` 2, a task 3, its `input_data` 4.
    private func nestedBody(inputDepth: Int) -> Data {
        let nested = String(repeating: "[", count: inputDepth - 4) + String(repeating: "]", count: inputDepth - 4)
        let body =
            #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "x", "n": "#
            + nested + "}}]}"
        return Data(body.utf8)
    }

    @Test func nestingDeeperThanTheLimitIsRejectedNamingIt() throws {
        let limits = ValidationLimits(maxJSONDepth: 10)
        #expect(try WorkflowValidator(limits: limits).validate(data: nestedBody(inputDepth: 10)).tasks.count == 1)
        let error = #expect(throws: WorkflowValidationError.self) {
            try WorkflowValidator(limits: limits).validate(data: nestedBody(inputDepth: 11))
        }
        let issue = try #require(error?.issues.first)
        #expect(error?.issues.count == 1)
        #expect(issue.type == "json_invalid")
        #expect(issue.ctx == ["error": "nesting depth exceeds 10"])
        // The offset is that of the eleventh `[`: the seventh of those after `"n": `.
        let text = String(decoding: nestedBody(inputDepth: 11), as: UTF8.self)
        let offset = text.utf8.distance(from: text.startIndex, to: text.range(of: #""n": "#)!.upperBound) + 6
        #expect(issue.loc == ["body", .index(offset)])
        #expect(ValidationLimits().maxJSONDepth == 64)
        #expect(throws: WorkflowValidationError.self) { try WorkflowValidator().validate(data: nestedBody(inputDepth: 65)) }
        #expect(try WorkflowValidator().validate(data: nestedBody(inputDepth: 64)).tasks.count == 1)
    }

    @Test func bodyMustBeAnObject() {
        let issue = Fixture.single([1, 2])
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from",
                    type: "model_attributes_type",
                    input: [1, 2]))
    }

    @Test func missingRequiredTopLevelFieldsAreAllReported() {
        let issues = Fixture.issues(["metadata": "nope"])
        #expect(
            issues == [
                ValidationIssue(loc: ["body", "workflow_type"], msg: "Field required", type: "missing", input: ["metadata": "nope"]),
                ValidationIssue(loc: ["body", "tasks"], msg: "Field required", type: "missing", input: ["metadata": "nope"]),
                ValidationIssue(loc: ["body", "metadata"], msg: "Input should be a valid dictionary", type: "dict_type", input: "nope"),
            ]
        )
    }

    @Test(arguments: [JSONValue.string("dag"), 5, nil, "Graph"])
    func workflowTypeIsALiteral(value: JSONValue) {
        let issue = Fixture.single(Fixture.body("graph", [Fixture.task("a")], extra: ["workflow_type": value]))
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body", "workflow_type"], msg: "Input should be 'sequential', 'parallel' or 'graph'", type: "literal_error",
                    input: value, ctx: ["expected": "'sequential', 'parallel' or 'graph'"]))
    }

    @Test func expectedListsReadAsPydantic() {
        #expect(ValidationIssue.expectedList(["a"]) == "'a'")
        #expect(ValidationIssue.expectedList(["a", "b"]) == "'a' or 'b'")
        #expect(ValidationIssue.expectedList(["a", "b", "c"]) == "'a', 'b' or 'c'")
    }

    @Test func tasksListRules() {
        #expect(
            Fixture.single(["workflow_type": "graph", "tasks": [:]])
                == ValidationIssue(loc: ["body", "tasks"], msg: "Input should be a valid list", type: "list_type", input: [:]))
        #expect(
            Fixture.single(Fixture.body("graph", []))
                == ValidationIssue(
                    loc: ["body", "tasks"], msg: "List should have at least 1 item after validation, not 0", type: "too_short", input: [],
                    ctx: ["field_type": "List", "min_length": 1, "actual_length": 0])
        )
        let tasks = [Fixture.task("a"), Fixture.task("b"), Fixture.task("c")]
        #expect(
            Fixture.single(Fixture.body("parallel", tasks), limits: ValidationLimits(maxTasks: 2))
                == ValidationIssue(
                    loc: ["body", "tasks"], msg: "List should have at most 2 items after validation, not 3", type: "too_long",
                    input: .array(tasks), ctx: ["field_type": "List", "max_length": 2, "actual_length": 3])
        )
        #expect(
            Fixture.single(Fixture.body("parallel", [Fixture.task("a"), "x"]))
                == ValidationIssue(
                    loc: ["body", "tasks", 1], msg: "Input should be a valid dictionary or object to extract fields from",
                    type: "model_attributes_type", input: "x")
        )
    }

    @Test func missingTaskFieldsCarryTheTaskAsInput() {
        let issues = Fixture.issues(Fixture.body("parallel", [["depends_on": [], "agent_role": 5]]))
        #expect(
            issues == [
                ValidationIssue(
                    loc: ["body", "tasks", 0, "agent_id"], msg: "Field required", type: "missing",
                    input: ["depends_on": [], "agent_role": 5]),
                ValidationIssue(
                    loc: ["body", "tasks", 0, "agent_role"], msg: "Input should be a valid string", type: "string_type", input: 5),
                ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data"], msg: "Field required", type: "missing",
                    input: ["depends_on": [], "agent_role": 5]),
            ])
    }

    @Test(
        arguments: [
            (JSONValue.int(5), "string_type", "Input should be a valid string", nil),
            ("", "string_too_short", "String should have at least 1 character", ["min_length": 1]),
            (
                .string(String(repeating: "a", count: 129)), "string_too_long", "String should have at most 128 characters",
                ["max_length": 128]
            ),
            ("has space", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'", ["pattern": "^[A-Za-z0-9._:-]+$"]),
            ("{tag}", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'", ["pattern": "^[A-Za-z0-9._:-]+$"]),
            ("a/b", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'", ["pattern": "^[A-Za-z0-9._:-]+$"]),
            ("tab\t", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'", ["pattern": "^[A-Za-z0-9._:-]+$"]),
            ("é", "string_pattern_mismatch", "String should match pattern '^[A-Za-z0-9._:-]+$'", ["pattern": "^[A-Za-z0-9._:-]+$"]),
        ] as [(JSONValue, String, String, JSONObject?)])
    func identifierSyntax(value: JSONValue, type: String, msg: String, ctx: JSONObject?) {
        let taskIssue = Fixture.single(Fixture.body("parallel", [Fixture.task("ok"), Fixture.task("x", extra: ["agent_id": value])]))
        #expect(taskIssue == ValidationIssue(loc: ["body", "tasks", 1, "agent_id"], msg: msg, type: type, input: value, ctx: ctx))
        let workflowIssue = Fixture.single(Fixture.body("parallel", [Fixture.task("ok")], extra: ["workflow_id": value]))
        #expect(workflowIssue == ValidationIssue(loc: ["body", "workflow_id"], msg: msg, type: type, input: value, ctx: ctx))
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
                    loc: ["body", "tasks", 0, "agent_role"], msg: "String should have at least 1 character", type: "string_too_short",
                    input: "", ctx: ["min_length": 1])
        )
        let long = String(repeating: "r", count: 65)
        #expect(
            Fixture.single(Fixture.body("parallel", [Fixture.task("a", role: long)]))
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "agent_role"], msg: "String should have at most 64 characters", type: "string_too_long",
                    input: .string(long), ctx: ["max_length": 64])
        )
    }

    @Test func inputDataRules() {
        func issue(_ inputData: JSONValue, limits: ValidationLimits = ValidationLimits()) -> ValidationIssue? {
            Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: ["input_data": inputData])]), limits: limits)
        }
        #expect(
            issue("text")
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data"], msg: "Input should be a valid dictionary", type: "dict_type", input: "text"))
        #expect(
            issue([:])
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data"], msg: "Value error, input_data must not be empty", type: "value_error",
                    input: [:], ctx: ["error": "input_data must not be empty"]))
        #expect(
            issue(["task": 7])
                == ValidationIssue(
                    loc: ["body", "tasks", 0, "input_data", "task"], msg: "Input should be a valid string", type: "string_type", input: 7))
        #expect(
            issue(["task": "  "])
                == Fixture.valueError(["body", "tasks", 0, "input_data", "task"], "the instruction must not be blank", input: "  "))
        #expect(
            issue(["task": "12345"], limits: ValidationLimits(maxInstructionBytes: 4))
                == Fixture.valueError(
                    ["body", "tasks", 0, "input_data", "task"], "the instruction is 5 bytes; at most 4 are allowed", input: "12345")
        )
        // {"code":"xxxxxxxxxx"} is 21 bytes of compact JSON.
        #expect(
            issue(["code": "xxxxxxxxxx"], limits: ValidationLimits(maxInputDataBytes: 20))
                == Fixture.valueError(
                    ["body", "tasks", 0, "input_data"], "input_data is 21 bytes as JSON; at most 20 are allowed",
                    input: ["code": "xxxxxxxxxx"])
        )
    }

    @Test func metadataSizeLimit() {
        let body = Fixture.body("parallel", [Fixture.task("a")], extra: ["metadata": ["k": "vvvv"]])  // {"k":"vvvv"} = 12 bytes
        #expect(
            Fixture.single(body, limits: ValidationLimits(maxMetadataBytes: 11))
                == Fixture.valueError(["body", "metadata"], "metadata is 12 bytes as JSON; at most 11 are allowed", input: ["k": "vvvv"])
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
                ValidationIssue(
                    loc: ["body", "tasks", 1, "depends_on", 1], msg: "Input should be a valid string", type: "string_type", input: 3),
                ValidationIssue(
                    loc: ["body", "tasks", 1, "depends_on", 2], msg: "Input should be a valid string", type: "string_type", input: .null),
                ValidationIssue(
                    loc: ["body", "tasks", 2, "depends_on"], msg: "Input should be a valid list", type: "list_type", input: .null),
            ]
        )
    }

    @Test(
        arguments: [
            ("llm_model", JSONValue.string(""), "string_too_short", "String should have at least 1 character", ["min_length": 1]),
            (
                "llm_model", .string(String(repeating: "m", count: 201)), "string_too_long", "String should have at most 200 characters",
                ["max_length": 200]
            ),
            ("temperature", "hot", "float_type", "Input should be a valid number", nil),
            ("temperature", -0.1, "greater_than_equal", "Input should be greater than or equal to 0", ["ge": 0.0]),
            ("temperature", 2.5, "less_than_equal", "Input should be less than or equal to 2", ["le": 2.0]),
            ("max_tokens", 0, "greater_than_equal", "Input should be greater than or equal to 1", ["ge": 1]),
            ("max_tokens", 1_000_001, "less_than_equal", "Input should be less than or equal to 1000000", ["le": 1_000_000]),
            ("max_tokens", 1e30, "less_than_equal", "Input should be less than or equal to 1000000", ["le": 1_000_000]),
            ("max_tokens", 1.5, "int_from_float", "Input should be a valid integer, got a number with a fractional part", nil),
            ("max_tokens", true, "int_type", "Input should be a valid integer", nil),
            ("system_prompt", 1, "string_type", "Input should be a valid string", nil),
            ("timeout_s", 0, "greater_than", "Input should be greater than 0", ["gt": 0.0]),
            ("timeout_s", 3600.5, "less_than_equal", "Input should be less than or equal to 3600", ["le": 3600.0]),
            ("max_attempts", 21, "less_than_equal", "Input should be less than or equal to 20", ["le": 20]),
            ("max_attempts", 0, "greater_than_equal", "Input should be greater than or equal to 1", ["ge": 1]),
            ("delegate", 1, "bool_type", "Input should be a valid boolean", nil),
        ] as [(String, JSONValue, String, String, JSONObject?)])
    func optionalTaskFieldRules(field: String, value: JSONValue, type: String, msg: String, ctx: JSONObject?) {
        let issue = Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: [field: value])]))
        #expect(issue == ValidationIssue(loc: ["body", "tasks", 0, .key(field)], msg: msg, type: type, input: value, ctx: ctx))
    }

    @Test func boundsInCtxKeepTheFieldsNumberType() {
        // pydantic reports a float field's bounds as floats and an int field's as integers.
        let float = Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: ["temperature": 3])]))
        #expect(float?.ctx.map { JSONValue.object($0).compactJSONString } == #"{"le":2.0}"#)
        let int = Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: ["max_attempts": 30])]))
        #expect(int?.ctx.map { JSONValue.object($0).compactJSONString } == #"{"le":20}"#)
    }

    @Test func errorResponseEncoding() throws {
        let response = WorkflowValidationError(issues: [
            ValidationIssue(loc: ["body", "tasks", 2, "depends_on", 0], msg: "m", type: "value_error"),
            ValidationIssue(loc: ["body", "x"], msg: "n", type: "string_too_short", input: "", ctx: ["min_length": 1]),
        ]).response
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(response), as: UTF8.self)
        #expect(
            json
                == #"{"detail":[{"loc":["body","tasks",2,"depends_on",0],"msg":"m","type":"value_error"},"#
                + #"{"ctx":{"min_length":1},"input":"","loc":["body","x"],"msg":"n","type":"string_too_short"}]}"#)
        #expect(try JSONDecoder().decode(ValidationErrorResponse.self, from: Data(json.utf8)) == response)
    }

    @Test func issueDescriptionsNeverIncludeTheInput() {
        let issue = Fixture.single(Fixture.body("parallel", [Fixture.task("a", extra: ["system_prompt": ["secret": 1]])]))
        #expect(issue?.input == ["secret": 1])
        #expect(issue?.description == "body.tasks.0.system_prompt: Input should be a valid string (string_type)")
    }
}
