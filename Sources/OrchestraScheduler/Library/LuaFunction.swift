import OrchestraRedis

/// One function of the scheduling library, declared with the names of its keys and arguments in
/// order. The library generates the Lua locals from these names, and ``FunctionCall`` checks
/// that callers pass them in the same order: key and argument positions are defined once.
///
/// A function may take a repeated group of keys and arguments after its fixed ones (one group
/// per task of a batch). Its body then iterates `for g = 1, groups do local it = item(g) … end`,
/// where `it.<name>` are the group's keys and arguments.
public struct LuaFunction: Sendable {
    /// The short name (`claim`); the server knows it as ``qualifiedName``.
    public let name: String
    /// Fixed key names, in `KEYS` order.
    public let keys: [String]
    /// Fixed argument names, in `ARGV` order.
    public let arguments: [String]
    /// Key names repeated once per group, after the fixed keys.
    public let groupKeys: [String]
    /// Argument names repeated once per group, after the fixed arguments.
    public let groupArguments: [String]
    /// Whether the function only reads (`no-writes`: callable with `FCALL_RO`, on replicas too).
    public let readOnly: Bool
    /// The Lua body; it sees the names above as locals.
    let body: String

    init(
        _ name: String,
        keys: [String],
        arguments: [String] = [],
        groupKeys: [String] = [],
        groupArguments: [String] = [],
        readOnly: Bool = false,
        body: String
    ) {
        self.name = name
        self.keys = keys
        self.arguments = arguments
        self.groupKeys = groupKeys
        self.groupArguments = groupArguments
        self.readOnly = readOnly
        self.body = body
    }

    /// The name the server knows the function by: the library's versioned prefix and ``name``.
    public var qualifiedName: String { SchedulerLibrary.functionPrefix + name }

    /// Whether the function takes groups.
    var isGrouped: Bool { !groupKeys.isEmpty || !groupArguments.isEmpty }

    /// The `redis.register_function` call for this function, with its locals generated.
    var registration: String {
        var lines: [String] = []
        let flags = readOnly ? ", flags = {'no-writes'}" : ""
        lines.append("redis.register_function{function_name = '\(qualifiedName)'\(flags), callback = function(keys, args)")
        for (position, name) in keys.enumerated() { lines.append("  local \(name) = keys[\(position + 1)]") }
        for (position, name) in arguments.enumerated() { lines.append("  local \(name) = args[\(position + 1)]") }
        if isGrouped {
            let keyFields = groupKeys.enumerated().map { "\($1) = keys[\(keys.count) + (g - 1) * \(groupKeys.count) + \($0 + 1)]" }
            let argumentFields = groupArguments.enumerated().map {
                "\($1) = args[\(arguments.count) + (g - 1) * \(groupArguments.count) + \($0 + 1)]"
            }
            let count =
                groupKeys.isEmpty
                ? "(#args - \(arguments.count)) / \(groupArguments.count)"
                : "(#keys - \(keys.count)) / \(groupKeys.count)"
            lines.append("  local groups = \(count)")
            lines.append("  local function item(g) return {\((keyFields + argumentFields).joined(separator: ", "))} end")
        }
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(line.isEmpty ? "" : "  " + line)
        }
        lines.append("end}")
        return lines.joined(separator: "\n")
    }

    /// A call of this function, to fill with ``FunctionCall/key(_:_:)`` and ``FunctionCall/argument(_:_:)``.
    func call(groups: Int = 0) -> FunctionCall {
        FunctionCall(function: self, groups: groups)
    }
}

/// The keys and arguments of one call of a ``LuaFunction``, added by name in the declared order
/// (checked in debug builds), then sent with ``RedisClient/call(_:)``.
struct FunctionCall: Sendable {
    let function: LuaFunction
    private(set) var keys: [RedisArgument] = []
    private(set) var arguments: [RedisArgument] = []

    init(function: LuaFunction, groups: Int) {
        self.function = function
        keys.reserveCapacity(function.keys.count + groups * function.groupKeys.count)
        arguments.reserveCapacity(function.arguments.count + groups * function.groupArguments.count)
    }

    /// Appends the key declared as `name` at this position.
    mutating func key(_ name: StaticString, _ value: String) {
        assert(Self.expected(function.keys, function.groupKeys, at: keys.count) == "\(name)", "\(function.name): key \(name) out of order")
        keys.append(RedisArgument(value))
    }

    /// Appends the argument declared as `name` at this position.
    mutating func argument(_ name: StaticString, _ value: RedisArgument) {
        assert(
            Self.expected(function.arguments, function.groupArguments, at: arguments.count) == "\(name)",
            "\(function.name): argument \(name) out of order")
        arguments.append(value)
    }

    /// Appends arguments beyond the declared ones (a function whose body reads `args` past its
    /// named arguments, such as ``SchedulerLibrary/submit``'s field/value pairs).
    mutating func appendExtraArguments(capacity: Int, _ body: (inout [RedisArgument]) -> Void) {
        assert(arguments.count >= function.arguments.count, "\(function.name): extra arguments before the declared ones")
        arguments.reserveCapacity(arguments.count + capacity)
        body(&arguments)
    }

    private static func expected(_ fixed: [String], _ group: [String], at position: Int) -> String? {
        if position < fixed.count { return fixed[position] }
        guard !group.isEmpty else { return nil }
        return group[(position - fixed.count) % group.count]
    }
}

extension RedisClient {
    /// Runs `call` (with `FCALL`, or `FCALL_RO` for read-only functions), loading the scheduling
    /// library first if the server does not have it.
    func call(_ call: FunctionCall) async throws(RedisError) -> RESPValue {
        try await self.call(
            SchedulerLibrary.library, call.function.qualifiedName, keys: call.keys, arguments: call.arguments,
            readOnly: call.function.readOnly)
    }
}

extension RedisClient {
    /// Runs `call` as ``call(_:)`` does, then waits until `acknowledgement.replicas` replicas
    /// have its write (``RedisError/Code/notReplicated`` when they do not confirm in time).
    func call(_ call: FunctionCall, replicatedTo acknowledgement: ReplicaAcknowledgement) async throws(RedisError) -> RESPValue {
        try await self.call(
            SchedulerLibrary.library, call.function.qualifiedName, keys: call.keys, arguments: call.arguments,
            replicatedTo: acknowledgement)
    }
}

extension RedisClient {
    /// Runs several calls in one pipelined write and returns their replies in order; the first
    /// error reply throws. Calls the server refused because it lacks the library (they did not
    /// run) are sent again once it is loaded; when every call met the same transient error they
    /// are all retried, as single commands are.
    func call(pipelined calls: [FunctionCall]) async throws(RedisError) -> [RESPValue] {
        let replies = try await callEach(pipelined: calls)
        guard let failed = replies.firstIndex(where: { $0.errorMessage != nil }) else { return replies }
        let message = replies[failed].errorMessage ?? ""
        throw RedisError(.serverError, "call \(failed + 1) of \(replies.count) (\(calls[failed].function.name)) failed: \(message)")
    }

    /// Runs several calls in one pipelined write and returns their replies in order, an error
    /// reply as an ``RESPValue/error(_:)`` element of its own call. Calls refused for want of the
    /// library are sent again once it is loaded; when every call met the same transient error
    /// (none ran) they are all retried, as single commands are, and that error is thrown.
    func callEach(pipelined calls: [FunctionCall]) async throws(RedisError) -> [RESPValue] {
        guard !calls.isEmpty else { return [] }
        let commands = calls.map { call -> [RedisArgument] in
            [call.function.readOnly ? "FCALL_RO" : "FCALL", RedisArgument(call.function.qualifiedName), RedisArgument(call.keys.count)]
                + call.keys + call.arguments
        }
        return try await retryingTransientServerErrors { () async throws(RedisError) -> [RESPValue] in
            var replies = try await pipelineAllowingErrors(commands)
            let missing = replies.indices.filter { replies[$0].errorMessage?.hasPrefix("ERR Function not found") == true }
            if !missing.isEmpty {
                try await load(SchedulerLibrary.library)
                let again = try await pipelineAllowingErrors(missing.map { commands[$0] })
                for (position, reply) in zip(missing, again) { replies[position] = reply }
            }
            if let message = replies.first?.errorMessage, RedisError(.serverError, message).isTransientServerError,
                replies.allSatisfy({ $0.errorMessage == message })
            {
                throw RedisError(.serverError, message)
            }
            return replies
        }
    }
}
