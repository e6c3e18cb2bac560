import OrchestraRedis

extension ClaimedTask {
    /// Reads one `claim` script reply (``LuaLibrary/claimTask``); `nil` unless it is `ok`.
    init?(claimReply reply: RESPValue, workflowID: String, index: Int) {
        guard let parts = reply.array, parts.first?.string == "ok", parts.count == 11 else { return nil }
        var dependencies: [DependencyOutput] = []
        if let flat = parts[10].array {
            dependencies.reserveCapacity(flat.count / 2)
            var iterator = flat.makeIterator()
            while let agent = iterator.next(), let output = iterator.next() {
                dependencies.append(DependencyOutput(agentID: agent.string ?? "", output: output.string ?? ""))
            }
        }
        self.init(
            workflowID: workflowID,
            index: index,
            epoch: parts[1].int ?? 0,
            attempts: parts[2].int ?? 1,
            maxAttempts: parts[3].int ?? 1,
            agentID: parts[4].string ?? "",
            role: parts[5].string ?? "",
            inputJSON: parts[6].string ?? "{}",
            optionsJSON: parts[7].string ?? "",
            storedAnswer: parts[8].string,
            workflowType: parts[9].string ?? "",
            dependencies: dependencies
        )
    }
}
