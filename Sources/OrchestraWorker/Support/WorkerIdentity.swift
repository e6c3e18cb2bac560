#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Worker ids: `<hostname>-<pid>-<6 random hex digits>`, readable in `redis-cli` (a task's
/// `worker` field) and unique across restarts that reuse a pid.
enum WorkerIdentity {
    /// This machine's host name (`worker` when it has none).
    static let hostname: String = {
        var buffer = [UInt8](repeating: 0, count: 256)
        let named = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { gethostname($0.baseAddress!, $0.count - 1) == 0 }
        }
        return named ? String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self) : "worker"
    }()

    static func generate() -> String {
        let cleaned = String(hostname.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }.prefix(64))
        let random = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
        let padded = String(repeating: "0", count: 6 - random.count) + random
        return "\(cleaned.isEmpty ? "worker" : cleaned)-\(getpid())-\(padded)"
    }
}
