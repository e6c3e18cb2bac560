internal import CHiredis
public import NIOCore

/// Parses replies from socket bytes with hiredis' `redisReader`, copying each into a ``RESPValue``.
///
/// Not thread safe and not `Sendable`: one decoder belongs to one connection's event loop.
public final class RESPReplyDecoder {
    private let reader: UnsafeMutablePointer<redisReader>

    /// A decoder whose idle buffer shrinks back below `maximumIdleBuffer` bytes after large replies.
    public init(maximumIdleBuffer: Int = 64 * 1024) {
        guard let reader = chiredis_reader_create(maximumIdleBuffer) else {
            fatalError("hiredis could not allocate a reply reader (out of memory)")
        }
        self.reader = reader
    }

    deinit { chiredis_reader_free(reader) }

    /// Appends bytes read from the connection.
    public func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let status = buffer.withUnsafeReadableBytes { raw in
            chiredis_reader_feed(reader, raw.baseAddress, raw.count)
        }
        if status != Int32(CHIREDIS_OK) { throw protocolError() }
    }

    /// The next complete reply, or `nil` until more bytes arrive.
    public func next() throws(RedisError) -> RESPValue? {
        var reply: UnsafeMutablePointer<redisReply>? = nil
        guard chiredis_reader_next(reader, &reply) == Int32(CHIREDIS_OK) else { throw protocolError() }
        guard let reply else { return nil }
        defer { chiredis_reply_free(reply) }
        return Self.copy(reply)
    }

    private func protocolError() -> RedisError {
        let text = chiredis_reader_error(reader).map { String(cString: $0) } ?? "unknown"
        return RedisError(.protocolError, "invalid reply from server: \(text)")
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let node = reply.pointee
        switch node.type {
        case Int32(CHIREDIS_REPLY_STRING):
            return .bulkString(ByteBuffer(bytes: UnsafeRawBufferPointer(start: node.str, count: node.len)))
        case Int32(CHIREDIS_REPLY_STATUS):
            return .simpleString(text(node))
        case Int32(CHIREDIS_REPLY_ERROR):
            return .error(text(node))
        case Int32(CHIREDIS_REPLY_INTEGER):
            return .integer(Int64(node.integer))
        case Int32(CHIREDIS_REPLY_ARRAY):
            var elements: [RESPValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let element = node.element[index] { elements.append(copy(element)) } else { elements.append(.null) }
            }
            return .array(elements)
        default:
            // NIL, and any RESP3 type a newer hiredis could produce (we never negotiate RESP3).
            return .null
        }
    }

    private static func text(_ node: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: node.str, count: node.len), as: UTF8.self)
    }
}
