import OrchestraAPI
import Testing

@Suite struct DependencyValidationTests {
    @Test func duplicateAgentIdIsReportedAtTheDuplicate() {
        let issue = Fixture.single(Fixture.body("parallel", [Fixture.task("a"), Fixture.task("b"), Fixture.task("a")]))
        #expect(
            issue
                == ValidationIssue(
                    loc: ["body", "tasks", 2, "agent_id"], msg: "Value error, duplicate agent_id 'a' (already used by task 0)",
                    type: "value_error", input: "a", ctx: ["error": "duplicate agent_id 'a' (already used by task 0)"]))
    }

    @Test func unknownAndSelfDependencies() {
        let issues = Fixture.issues(
            Fixture.body("graph", [Fixture.task("a", dependsOn: ["ghost"]), Fixture.task("b", dependsOn: ["a", "b"])]))
        #expect(
            issues == [
                Fixture.valueError(["body", "tasks", 0, "depends_on", 0], "unknown agent_id 'ghost' in depends_on", input: "ghost"),
                Fixture.valueError(["body", "tasks", 1, "depends_on", 1], "task 'b' cannot depend on itself", input: "b"),
            ]
        )
    }

    @Test func noFalseUnknownWhenTheTargetIsItselfInvalid() {
        // Task 0's role is invalid but its id is fine, so the reference to it is not unknown.
        let issues = Fixture.issues(Fixture.body("graph", [Fixture.task("a", role: ""), Fixture.task("b", dependsOn: ["a"])]))
        #expect(issues.map(\.type) == ["string_too_short"])
    }

    @Test func threeCycleIsNamedFromTheEarliestTask() {
        // a depends on c, c on b, b on a.
        let issue = Fixture.single(
            Fixture.body(
                "graph", [Fixture.task("a", dependsOn: ["c"]), Fixture.task("b", dependsOn: ["a"]), Fixture.task("c", dependsOn: ["b"])]))
        #expect(
            issue
                == Fixture.valueError(["body", "tasks", 0, "depends_on"], "dependency cycle: a -> c -> b -> a", input: ["c"]))
    }

    @Test func cycleNotTouchingTheFirstTaskAndTwoSeparateCycles() {
        let issues = Fixture.issues(
            Fixture.body(
                "graph",
                [
                    Fixture.task("root"), Fixture.task("x", dependsOn: ["root", "y"]), Fixture.task("y", dependsOn: ["x"]),
                    Fixture.task("p", dependsOn: ["q"]), Fixture.task("q", dependsOn: ["p", "root"]),
                ]
            )
        )
        #expect(issues.map(\.msg) == ["Value error, dependency cycle: x -> y -> x", "Value error, dependency cycle: p -> q -> p"])
        #expect(issues.map(\.input) == [["root", "y"], ["q"]])
        #expect(issues.map(\.loc) == [["body", "tasks", 1, "depends_on"], ["body", "tasks", 3, "depends_on"]])
    }

    @Test func diamondIsNotACycle() throws {
        let body = Fixture.body(
            "graph",
            [
                Fixture.task("a"), Fixture.task("b", dependsOn: ["a"]), Fixture.task("c", dependsOn: ["a"]),
                Fixture.task("d", dependsOn: ["b", "c", "a"]),
            ])
        #expect(try WorkflowValidator().validate(body).tasks.count == 4)
    }

    @Test func longChainHasNoRecursionLimit() throws {
        let tasks = (0..<1000).map { Fixture.task("t\($0)", dependsOn: $0 == 0 ? [] : ["t\($0 - 1)"]) }
        #expect(try WorkflowValidator().validate(Fixture.body("graph", tasks)).tasks.count == 1000)
        var cyclic = tasks
        cyclic[0] = Fixture.task("t0", dependsOn: ["t999"])
        let issue = Fixture.single(Fixture.body("graph", cyclic))
        #expect(issue?.msg.hasPrefix("Value error, dependency cycle: t0 -> t999 -> t998 -> ") == true)
        #expect(issue?.msg.hasSuffix(" -> t1 -> t0") == true)
    }

    @Test func parallelRejectsDependencies() {
        let issue = Fixture.single(Fixture.body("parallel", [Fixture.task("a"), Fixture.task("b", dependsOn: ["a"])]))
        #expect(
            issue
                == Fixture.valueError(["body", "tasks", 1, "depends_on"], "depends_on must be empty in a parallel workflow", input: ["a"]))
    }

    @Test func sequentialAcceptsEmptyOrPrevious() throws {
        let body = Fixture.body("sequential", [Fixture.task("1"), Fixture.task("2", dependsOn: ["1"]), Fixture.task("3", dependsOn: [])])
        #expect(try WorkflowValidator().validate(body).tasks.count == 3)
    }

    @Test func sequentialRejectsOtherDependencies() {
        let issues = Fixture.issues(
            Fixture.body(
                "sequential",
                [
                    Fixture.task("1", dependsOn: ["2"]), Fixture.task("2"), Fixture.task("3", dependsOn: ["1"]),
                    Fixture.task("4", dependsOn: ["3", "1"]),
                ])
        )
        #expect(
            issues == [
                Fixture.valueError(
                    ["body", "tasks", 0, "depends_on"], "the first task of a sequential workflow cannot have dependencies", input: ["2"]),
                Fixture.valueError(
                    ["body", "tasks", 2, "depends_on"], "in a sequential workflow depends_on must be [] or [\"2\"] (the previous task)",
                    input: ["1"]),
                Fixture.valueError(
                    ["body", "tasks", 3, "depends_on"], "in a sequential workflow depends_on must be [] or [\"3\"] (the previous task)",
                    input: ["3", "1"]),
            ]
        )
    }

    @Test func fieldAndCrossTaskIssuesAreCollectedTogether() {
        let issues = Fixture.issues(
            Fixture.body("graph", [Fixture.task("a", extra: ["temperature": 9]), Fixture.task("a", dependsOn: ["zzz"])]))
        #expect(
            issues.map(\.loc) == [
                ["body", "tasks", 0, "temperature"], ["body", "tasks", 1, "agent_id"], ["body", "tasks", 1, "depends_on", 0],
            ])
    }
}
