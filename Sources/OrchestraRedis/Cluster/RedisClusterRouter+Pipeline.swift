/// Pipelines on a cluster: split by node, each node's part in one write, replies reassembled in
/// the caller's order.
extension RedisClusterRouter {
    /// Sends `commands` and returns every reply in order, error replies as values. Commands
    /// redirected (`MOVED`, `ASK`) or refused for now (`TRYAGAIN`, `CLUSTERDOWN`, …) are sent again,
    /// alone or with the others of the next round: the order of execution of a pipeline's
    /// commands is only kept among the commands of one node within one round.
    ///
    /// - Throws: ``RedisError/Code/crossSlot`` or ``RedisError/Code/notRoutable`` (nothing is
    ///   sent), a connection error, or ``RedisError/Code/tooManyRedirections``.
    func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var routes: [ClusterRoute] = []
        routes.reserveCapacity(commands.count)
        for command in commands {
            let route = try ClusterRoute(command)
            if case .allMasters = route {
                throw RedisError(.notRoutable, "\(command[0].upperCasedName) goes to every master: send it alone, not in a pipeline")
            }
            routes.append(route)
        }
        var targets = routes.map { Target.route($0) }
        var replies = [RESPValue?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        var redirectRounds = 0
        var budget = RetryBudget(configuration.transientErrorRetryTime)
        while !pending.isEmpty {
            let groups: [Group]
            do {
                groups = try await group(pending, targets: targets)
            } catch  where error.isTransientServerError {
                try await budget.pause(rethrowing: error)
                continue
            }
            let outcomes = await send(groups, commands: commands, targets: targets)
            var next: [Int] = []
            var redirected = false
            var transient: RedisError?
            for (group, outcome) in zip(groups, outcomes) {
                let groupReplies: [RESPValue]
                switch outcome {
                case .success(let values):
                    groupReplies = values
                case .failure(let failure):
                    if failure.error.code != .connectionRefused { requestRefresh() }
                    let reachable = failure.error.code == .connectionRefused || failure.error.code == .connectionFailed
                    if !failure.sent, reachable, redirectRounds < configuration.maximumRedirections,
                        await servedElsewhere(targets[group.indices[0]], unreachable: group.pool.address)
                    {
                        for index in group.indices { targets[index] = .route(routes[index]) }
                        next += group.indices
                        redirected = true
                        continue
                    }
                    throw failure.error
                }
                var position = 0
                for index in group.indices {
                    if case .node(_, asking: true) = targets[index] { position += 1 }  // ASKING's +OK
                    let reply = groupReplies[position]
                    position += 1
                    guard case .error(let message) = reply else {
                        replies[index] = reply
                        continue
                    }
                    if let redirection = ClusterRedirection(errorMessage: message, answeredBy: group.pool.address) {
                        if redirection.kind == .moved { slotMoved(redirection.slot, to: redirection.address) }
                        targets[index] = .node(redirection.address, asking: redirection.kind == .ask)
                        next.append(index)
                        redirected = true
                        continue
                    }
                    let error = RedisError(.serverError, message)
                    if error.isTransientServerError {
                        if error.serverErrorPrefix == "CLUSTERDOWN" || error.serverErrorPrefix == "MASTERDOWN" { requestRefresh() }
                        targets[index] = .route(routes[index])
                        next.append(index)
                        transient = transient ?? error
                        continue
                    }
                    replies[index] = reply
                }
            }
            if redirected {
                redirectRounds += 1
                if redirectRounds > configuration.maximumRedirections {
                    throw RedisError(.tooManyRedirections, "a pipeline gave up after \(configuration.maximumRedirections) redirections")
                }
            }
            if let transient, !redirected {
                do {
                    try await budget.pause(rethrowing: transient)
                } catch {
                    // Out of time: the commands still refused keep their error replies.
                    for index in next { replies[index] = .error(transient.message) }
                    next = []
                }
            }
            next.sort()
            pending = next
        }
        return replies.map { $0 ?? .null }
    }

    struct Group {
        var pool: RedisNodePool
        var indices: [Int]
    }

    /// `pending` grouped by node, in order within each node; commands without keys join the first.
    private func group(_ pending: [Int], targets: [Target]) async throws(RedisError) -> [Group] {
        var groups: [Group] = []
        var keyless: [Int] = []
        for index in pending {
            if case .route(.anyNode) = targets[index] {
                keyless.append(index)
                continue
            }
            let pool = try await self.pool(for: targets[index])
            if let existing = groups.firstIndex(where: { $0.pool === pool }) {
                groups[existing].indices.append(index)
            } else {
                groups.append(Group(pool: pool, indices: [index]))
            }
        }
        if !keyless.isEmpty {
            if groups.isEmpty {
                groups.append(Group(pool: try await anyMaster(), indices: keyless))
            } else {
                groups[0].indices = (groups[0].indices + keyless).sorted()
            }
        }
        return groups
    }

    /// Each group's commands in one write to its node, all nodes at once.
    private func send(_ groups: [Group], commands: [[RedisArgument]], targets: [Target]) async -> [Result<[RESPValue], AttemptFailure>] {
        await withTaskGroup(of: (Int, Result<[RESPValue], AttemptFailure>).self) { taskGroup in
            for (number, group) in groups.enumerated() {
                let batch = group.indices.flatMap { index -> [[RedisArgument]] in
                    if case .node(_, asking: true) = targets[index] { return [["ASKING"], commands[index]] }
                    return [commands[index]]
                }
                taskGroup.addTask { (number, await Self.attempt(group.pool, batch)) }
            }
            var outcomes = [Result<[RESPValue], AttemptFailure>?](repeating: nil, count: groups.count)
            for await (number, outcome) in taskGroup { outcomes[number] = outcome }
            return outcomes.map { $0 ?? .failure(AttemptFailure(error: RedisError(.closed, "cancelled"), sent: false)) }
        }
    }

    /// One group's write on its node. A function of its own rather than inline in the task-group
    /// closure: with the typed-throws `do`/`catch` blocks inline, release builds of Swift 6.3.1
    /// returned corrupt outcomes from the child tasks (a trap on a real cluster, reproducibly;
    /// debug builds were right).
    private static func attempt(_ pool: RedisNodePool, _ batch: [[RedisArgument]]) async -> Result<[RESPValue], AttemptFailure> {
        let connection: RedisConnection
        do throws(RedisError) {
            connection = try await pool.sharedConnection()
        } catch {
            return .failure(AttemptFailure(error: error, sent: false))
        }
        do throws(RedisError) {
            return .success(try await connection.pipeline(batch))
        } catch {
            return .failure(AttemptFailure(error: error, sent: true))
        }
    }
}
