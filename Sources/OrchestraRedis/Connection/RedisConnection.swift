import Logging
public import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP connection to Redis. Commands from any number of tasks are pipelined on it: each goes
/// out as soon as possible, batched with others issued in the same event-loop turn, and replies
/// are matched in order.
///
/// A connection that saw an I/O, protocol or timeout error closes itself and is never reused.
public final class RedisConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<RedisChannelHandler>
    private let active: ActiveFlag
    private let commandTimeout: Duration

    private init(channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>, active: ActiveFlag, commandTimeout: Duration) {
        self.channel = channel
        self.handler = handler
        self.active = active
        self.commandTimeout = commandTimeout
    }

    /// Whether the connection can still carry commands.
    public var isActive: Bool { active.value.load(ordering: .relaxed) }

    /// Sends one command and returns its reply. An error reply throws ``RedisError/Code/serverError``.
    public func send(_ arguments: [RedisArgument], timeout: Duration? = nil) async throws(RedisError) -> RESPValue {
        let bytes = try RedisCommandEncoder.encode(arguments)
        let reply = try await sendEncoded(bytes, timeout: timeout)
        if case .error(let message) = reply { throw RedisError(.serverError, message) }
        return reply
    }

    /// Sends one command and returns its reply, error replies as ``RESPValue/error(_:)`` values.
    public func sendEncoded(_ bytes: ByteBuffer, timeout: Duration? = nil) async throws(RedisError) -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        submit(bytes, waiter: .one(promise), timeout: timeout)
        return try await Self.wait(promise.futureResult)
    }

    /// Sends many commands in one write and returns their replies in order. An error reply fails
    /// only its own command: it is an ``RESPValue/error(_:)`` element of the result.
    public func pipeline(_ commands: [[RedisArgument]], timeout: Duration? = nil) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var bytes = ByteBufferAllocator().buffer(capacity: commands.count * 32)
        for command in commands { try RedisCommandEncoder.encode(command, into: &bytes) }
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        submit(bytes, waiter: .many(count: commands.count, promise), timeout: timeout)
        return try await Self.wait(promise.futureResult)
    }

    /// Sends a command whose replies arrive as pushes (`SUBSCRIBE`), without waiting.
    func sendWithoutReply(_ arguments: [RedisArgument]) throws(RedisError) {
        let bytes = try RedisCommandEncoder.encode(arguments)
        submit(bytes, waiter: nil, timeout: nil)
    }

    /// Closes the connection; commands in flight fail with ``RedisError/Code/closed``.
    public func close() {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close(with: RedisError(.closed, "connection closed by the client")) }
    }

    private func submit(_ bytes: ByteBuffer, waiter: RedisChannelHandler.Waiter?, timeout: Duration?) {
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? commandTimeout)
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            handler.value.enqueue(bytes, waiter: waiter, deadline: deadline)
        } else {
            channel.eventLoop.execute { handler.value.enqueue(bytes, waiter: waiter, deadline: deadline) }
        }
    }

    private static func wait<Value: Sendable>(_ future: EventLoopFuture<Value>) async throws(RedisError) -> Value {
        do {
            return try await future.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(.connectionFailed, "\(error)")
        }
    }
}

extension RedisConnection {
    /// Opens a connection and runs its handshake (`AUTH`, `SELECT`, `CLIENT SETNAME`) within
    /// the configuration's connect timeout.
    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil,
        closeHandler: (@Sendable (RedisError) -> Void)? = nil
    ) async throws(RedisError) -> RedisConnection {
        let active = ActiveFlag()
        let onClose: @Sendable (RedisError) -> Void = { error in
            active.value.store(false, ordering: .relaxed)
            closeHandler?(error)
        }
        let sweep = TimeAmount.milliseconds(max(10, min(100, configuration.commandTimeout.milliseconds / 10)))
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RedisChannelHandler(sweepInterval: sweep, pushHandler: pushHandler, onClose: onClose)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return ()
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw Self.connectError(error, configuration: configuration)
        }
        let handler: NIOLoopBound<RedisChannelHandler>
        do {
            handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw RedisError(.connectionFailed, "connection to \(configuration.endpointDescription) closed during setup")
        }
        let connection = RedisConnection(
            channel: channel,
            handler: handler,
            active: active,
            commandTimeout: configuration.commandTimeout
        )
        do throws(RedisError) {
            try await connection.handshake(configuration)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func handshake(_ configuration: RedisConfiguration) async throws(RedisError) {
        var commands: [[RedisArgument]] = []
        if let password = configuration.password {
            if let username = configuration.username {
                commands.append(["AUTH", RedisArgument(username), RedisArgument(password)])
            } else {
                commands.append(["AUTH", RedisArgument(password)])
            }
        }
        if configuration.database != 0 { commands.append(["SELECT", RedisArgument(configuration.database)]) }
        if let name = configuration.clientName { commands.append(["CLIENT", "SETNAME", RedisArgument(name)]) }
        guard !commands.isEmpty else { return }
        let replies: [RESPValue]
        do {
            replies = try await pipeline(commands, timeout: configuration.connectTimeout)
        } catch  where error.code == .timeout {
            throw RedisError(.timeout, "no handshake reply from \(configuration.endpointDescription) within the connect timeout")
        }
        for (command, reply) in zip(commands, replies) {
            if case .error(let message) = reply {
                let name = command[0] == "AUTH" ? "AUTH" : command[0] == "SELECT" ? "SELECT" : "CLIENT SETNAME"
                throw RedisError(.serverError, "\(name) failed at \(configuration.endpointDescription): \(message)")
            }
        }
    }

    private static func connectError(_ error: any Error, configuration: RedisConfiguration) -> RedisError {
        let endpoint = configuration.endpointDescription
        if let error = error as? ChannelError, case .connectTimeout = error {
            return RedisError(.timeout, "could not connect to \(endpoint) within the connect timeout")
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first?.error as? IOError, first.errnoCode == ECONNREFUSED {
                return RedisError(.connectionRefused, "connection refused by \(endpoint)")
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return RedisError(.connectionFailed, "could not resolve the Redis host of \(endpoint)")
            }
            if let first = error.connectionErrors.first?.error as? ChannelError, case .connectTimeout = first {
                return RedisError(.timeout, "could not connect to \(endpoint) within the connect timeout")
            }
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return RedisError(.connectionRefused, "connection refused by \(endpoint)")
        }
        return RedisError(.connectionFailed, "could not connect to \(endpoint): \(error)")
    }
}

/// Whether a connection is still usable; cleared by its handler when it closes.
final class ActiveFlag: Sendable {
    let value = Atomic<Bool>(true)
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
