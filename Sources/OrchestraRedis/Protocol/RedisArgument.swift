public import NIOCore

/// One argument of a Redis command: text, bytes or a buffer, sent binary safe.
public struct RedisArgument: Sendable, Hashable {
    @usableFromInline
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes([UInt8])
        case buffer(ByteBuffer)
    }

    @usableFromInline
    let storage: Storage

    /// An argument from UTF-8 text.
    @inlinable
    public init(_ string: String) { self.storage = .string(string) }

    /// An argument from raw bytes.
    @inlinable
    public init(bytes: [UInt8]) { self.storage = .bytes(bytes) }

    /// An argument from the readable bytes of a buffer.
    @inlinable
    public init(buffer: ByteBuffer) { self.storage = .buffer(buffer) }

    /// An integer argument, sent in decimal.
    @inlinable
    public init(_ value: Int) { self.storage = .string(String(value)) }

    /// A floating-point argument, sent in its shortest round-tripping decimal form.
    @inlinable
    public init(_ value: Double) { self.storage = .string(String(value)) }

    /// The argument's length in bytes.
    var byteCount: Int {
        switch storage {
        case .string(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .buffer(let buffer): buffer.readableBytes
        }
    }

    /// Copies the argument's bytes to `destination`, which has room for `byteCount` bytes.
    func copyBytes(to destination: UnsafeMutableRawPointer) {
        switch storage {
        case .string(var text):
            text.withUTF8 { utf8 in
                if let base = utf8.baseAddress { destination.copyMemory(from: base, byteCount: utf8.count) }
            }
        case .bytes(let bytes):
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { destination.copyMemory(from: base, byteCount: raw.count) }
            }
        case .buffer(let buffer):
            buffer.withUnsafeReadableBytes { raw in
                if let base = raw.baseAddress { destination.copyMemory(from: base, byteCount: raw.count) }
            }
        }
    }
}

extension RedisArgument: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// An argument from a string literal.
    public init(stringLiteral value: String) { self.init(value) }
    /// An argument from an integer literal.
    public init(integerLiteral value: Int) { self.init(value) }
}

extension RedisArgument: CustomStringConvertible {
    /// The argument's length only: arguments may hold passwords or payloads.
    public var description: String { "<\(byteCount) bytes>" }
}
