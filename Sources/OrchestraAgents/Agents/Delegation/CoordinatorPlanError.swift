import OrchestraAPI

/// A delegating agent's answer is not a usable ``CoordinatorPlan``. The description says exactly
/// what is wrong, e.g. `plan subtask 2: depends_on 'x' is not a subtask of the plan`; subtasks are
/// numbered from 1 in plan order. The worker fails the delegating task with it (not retried).
public struct CoordinatorPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        case noJSON
        case noSubtaskList
        case empty
        case tooMany(Int)
        case invalidSynthesis
        case subtask(Int, Problem)
    }

    enum Problem: Hashable, Sendable {
        case notAnObject
        case missing(String)
        case notAString(String)
        case invalidId(String)
        case duplicateId(String, firstNumber: Int)
        case takenId(String)
        case reservedId(String)
        case invalidRole
        case emptyInstruction
        case instructionTooLong(Int)
        case dependsOnNotAList
        case selfDependency(String)
        case forwardReference(String, number: Int)
        case unknownDependency(String)
    }

    let code: Code

    init(_ code: Code) {
        self.code = code
    }

    /// The 1-based number of the subtask at fault, when one is.
    public var subtaskNumber: Int? {
        if case .subtask(let number, _) = code { return number }
        return nil
    }

    /// What is wrong, in one line.
    public var description: String {
        switch code {
        case .noJSON:
            return "the coordinator's answer contains no JSON object"
        case .noSubtaskList:
            return "the plan has no \"subtasks\" list"
        case .empty:
            return "the plan has no subtasks"
        case .tooMany(let count):
            return "the plan has \(count) subtasks; at most \(CoordinatorPlan.maxSubtasks) are allowed"
        case .invalidSynthesis:
            return "the plan's synthesis must be a non-empty string"
        case .subtask(let number, let problem):
            return "plan subtask \(number): " + Self.describe(problem)
        }
    }

    private static func describe(_ problem: Problem) -> String {
        switch problem {
        case .notAnObject:
            return "not a JSON object"
        case .missing(let field):
            return "\(field) is missing"
        case .notAString(let field):
            return "\(field) must be a string"
        case .invalidId(let id):
            return
                "agent_id '\(shown(id))' is not a valid id (1 to \(IdentifierSyntax.maxLength) characters of \(IdentifierSyntax.pattern))"
        case .duplicateId(let id, let first):
            return "agent_id '\(shown(id))' is already used by plan subtask \(first)"
        case .takenId(let id):
            return "agent_id '\(shown(id))' is already used by a task of the workflow"
        case .reservedId(let id):
            return "agent_id '\(shown(id))' is reserved for the synthesis step"
        case .invalidRole:
            return "agent_role must be 1 to 64 characters and not blank"
        case .emptyInstruction:
            return "task (the instruction) is empty"
        case .instructionTooLong(let size):
            return "task (the instruction) is \(size) bytes; at most \(ValidationLimits().maxInstructionBytes) are allowed"
        case .dependsOnNotAList:
            return "depends_on must be a list of agent_id strings"
        case .selfDependency(let id):
            return "depends_on '\(shown(id))' is the subtask itself"
        case .forwardReference(let id, let number):
            return "depends_on '\(shown(id))' is plan subtask \(number), which comes later; a subtask may depend only on earlier ones"
        case .unknownDependency(let id):
            return "depends_on '\(shown(id))' is not a subtask of the plan"
        }
    }

    /// Ids come from model output; keep messages short.
    private static func shown(_ id: String) -> String {
        id.count > 140 ? String(id.prefix(140)) + "…" : id
    }
}
