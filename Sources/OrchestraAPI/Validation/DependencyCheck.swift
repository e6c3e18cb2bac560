/// Cross-task checks: duplicate `agent_id`s, `depends_on` rules per workflow type, unknown ids,
/// self-dependencies and cycles. Only fields that passed their own checks are looked at, and checks
/// that need every id are skipped while some task's id is itself invalid.
struct DependencyCheck {
    var type: WorkflowType
    var tasks: [TaskDraft]

    /// Cycle reports beyond this many add nothing for the submitter.
    static let maxCycleReports = 10

    func run(into issues: inout [ValidationIssue]) {
        var firstIndex: [String: Int] = [:]
        var hasDuplicates = false
        for (index, draft) in tasks.enumerated() {
            guard let id = draft.agentId else { continue }
            if let first = firstIndex[id] {
                hasDuplicates = true
                issues.append(
                    .valueError(loc(index, "agent_id"), "duplicate agent_id '\(id)' (already used by task \(first))", input: .string(id)))
            } else {
                firstIndex[id] = index
            }
        }
        let allIdsKnown = tasks.allSatisfy { $0.agentId != nil }
        checkSynthesisNames(firstIndex: firstIndex, into: &issues)

        switch type {
        case .parallel:
            for (index, draft) in tasks.enumerated() where !(draft.dependsOn?.isEmpty ?? true) {
                issues.append(
                    .valueError(loc(index, "depends_on"), "depends_on must be empty in a parallel workflow", input: dependsOnValue(index)))
            }
        case .sequential:
            checkSequential(into: &issues)
        case .graph:
            guard allIdsKnown else { return }
            checkGraphReferences(firstIndex: firstIndex, into: &issues)
            if !hasDuplicates {
                reportCycles(firstIndex: firstIndex, into: &issues)
            }
        }
    }

    private func loc(_ index: Int, _ field: String) -> [LocElement] {
        ["body", "tasks", .index(index), .key(field)]
    }

    /// Task `index`'s `depends_on` as submitted (only called for tasks whose list was valid).
    private func dependsOnValue(_ index: Int) -> JSONValue {
        .array((tasks[index].dependsOn ?? []).map(JSONValue.string))
    }

    /// A delegating task adds a synthesis step named `<agent_id>-synthesis`; no task may hold that name.
    private func checkSynthesisNames(firstIndex: [String: Int], into issues: inout [ValidationIssue]) {
        for (index, draft) in tasks.enumerated() where draft.delegates {
            guard let id = draft.agentId else { continue }
            let synthesis = DelegationNaming.synthesisAgentId(for: id)
            if let other = firstIndex[synthesis] {
                issues.append(
                    .valueError(
                        loc(index, "delegate"),
                        "task '\(id)' delegates, so its synthesis step is named '\(synthesis)', which task \(other) already uses",
                        input: .bool(true)))
            }
        }
    }

    /// Each task implicitly depends on the previous one; an explicit list may only say so.
    private func checkSequential(into issues: inout [ValidationIssue]) {
        for (index, draft) in tasks.enumerated() {
            guard let dependsOn = draft.dependsOn, !dependsOn.isEmpty else { continue }
            if index == 0 {
                issues.append(
                    .valueError(
                        loc(index, "depends_on"), "the first task of a sequential workflow cannot have dependencies",
                        input: dependsOnValue(index)))
                continue
            }
            guard let previous = tasks[index - 1].agentId else {
                if dependsOn.count > 1 {
                    issues.append(
                        .valueError(
                            loc(index, "depends_on"), "in a sequential workflow depends_on must be [] or the previous task's agent_id",
                            input: dependsOnValue(index)))
                }
                continue
            }
            if dependsOn != [previous] {
                issues.append(
                    .valueError(
                        loc(index, "depends_on"), "in a sequential workflow depends_on must be [] or [\"\(previous)\"] (the previous task)",
                        input: dependsOnValue(index)))
            }
        }
    }

    private func checkGraphReferences(firstIndex: [String: Int], into issues: inout [ValidationIssue]) {
        for (index, draft) in tasks.enumerated() {
            guard let dependsOn = draft.dependsOn, let id = draft.agentId else { continue }
            for (position, dependency) in dependsOn.enumerated() {
                let entryLoc: [LocElement] = ["body", "tasks", .index(index), "depends_on", .index(position)]
                if dependency == id {
                    issues.append(.valueError(entryLoc, "task '\(id)' cannot depend on itself", input: .string(dependency)))
                } else if firstIndex[dependency] == nil {
                    issues.append(.valueError(entryLoc, "unknown agent_id '\(dependency)' in depends_on", input: .string(dependency)))
                }
            }
        }
    }

    /// Iterative depth-first search along `depends_on` links; every back edge closes a cycle.
    private func reportCycles(firstIndex: [String: Int], into issues: inout [ValidationIssue]) {
        let edges: [[Int]] = tasks.enumerated().map { index, draft in
            (draft.dependsOn ?? []).compactMap { firstIndex[$0] }.filter { $0 != index }
        }
        enum Mark { case unvisited, onPath, done }
        var marks = [Mark](repeating: .unvisited, count: tasks.count)
        var reported: Set<[Int]> = []

        for start in tasks.indices where marks[start] == .unvisited {
            // Each frame: a node and the position of the next edge to follow.
            var path: [(node: Int, nextEdge: Int)] = [(start, 0)]
            marks[start] = .onPath
            while let top = path.last {
                guard top.nextEdge < edges[top.node].count else {
                    marks[top.node] = .done
                    path.removeLast()
                    continue
                }
                path[path.count - 1].nextEdge += 1
                let next = edges[top.node][top.nextEdge]
                switch marks[next] {
                case .unvisited:
                    marks[next] = .onPath
                    path.append((next, 0))
                case .onPath:
                    let begin = path.lastIndex { $0.node == next }!
                    let cycle = rotatedToSmallest(path[begin...].map(\.node))
                    guard reported.count < Self.maxCycleReports, reported.insert(cycle).inserted else { continue }
                    let names = (cycle + [cycle[0]]).map { tasks[$0].agentId ?? "?" }
                    issues.append(
                        .valueError(
                            loc(cycle[0], "depends_on"), "dependency cycle: " + names.joined(separator: " -> "),
                            input: dependsOnValue(cycle[0])))
                case .done:
                    continue
                }
            }
        }
    }

    private func rotatedToSmallest(_ cycle: [Int]) -> [Int] {
        let pivot = cycle.indices.min { cycle[$0] < cycle[$1] }!
        return Array(cycle[pivot...] + cycle[..<pivot])
    }
}
