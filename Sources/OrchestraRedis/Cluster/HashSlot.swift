import NIOCore

/// A Redis Cluster hash slot (0-16383): CRC16 (XMODEM) of the key, or of its `{hash tag}`,
/// modulo 16384.
public struct HashSlot: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of slots of a cluster.
    public static let count = 16384

    /// The slot number, 0-16383.
    public let rawValue: UInt16

    /// The slot numbered `rawValue`; `nil` outside 0-16383.
    public init?(rawValue: Int) {
        guard (0..<Self.count).contains(rawValue) else { return nil }
        self.rawValue = UInt16(rawValue)
    }

    /// The slot of a key given as bytes.
    ///
    /// Only the hash tag is hashed when the key has one: the bytes between the first `{` and
    /// the first `}` after it, when there is at least one byte between them.
    public init(key: some Collection<UInt8>) {
        self.rawValue = Self.crc16(Self.hashedPart(of: key)) & UInt16(Self.count - 1)
    }

    /// The slot of a key given as text (hashed as UTF-8).
    public init(key: String) {
        var key = key
        self = key.withUTF8 { HashSlot(key: $0) }
    }

    /// The slot of a key given as a command argument.
    public init(key: RedisArgument) {
        switch key.storage {
        case .string(let text): self.init(key: text)
        case .bytes(let bytes): self.init(key: bytes)
        case .buffer(let buffer): self = buffer.withUnsafeReadableBytes { HashSlot(key: $0) }
        }
    }

    public static func < (lhs: HashSlot, rhs: HashSlot) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    static func hashedPart<Key: Collection<UInt8>>(of key: Key) -> Key.SubSequence {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        let afterOpen = key.index(after: open)
        guard let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen else { return key[...] }
        return key[afterOpen..<close]
    }

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ crc16Table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let crc16Table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
