import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A client that asks for an event stream and never reads it: its socket's receive buffer is kept
/// small, so the server's writes back up at once. Used by the stalled-reader test and by
/// `orchestra-bench events`.
public struct StalledReader: Sendable {
    /// The connected socket.
    public let descriptor: Int32

    /// Connects to `127.0.0.1:port` and sends `GET path`.
    public init(port: Int, path: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket() failed") }
        var size: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            Glibc.close(descriptor)
            throw TestSupportError("could not connect a stalled reader")
        }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(descriptor, $0, strlen($0), 0) }
    }

    /// Bytes received and not read (`FIONREAD`).
    public var pendingBytes: Int {
        var count: Int32 = 0
        return ioctl(descriptor, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }

    /// Closes the socket.
    public func close() { Glibc.close(descriptor) }
}

/// The memory of a process, from `/proc/<pid>/status`.
public enum ProcessMemory {
    /// `VmRSS` (resident now) in bytes; `nil` when the process is gone.
    public static func residentBytes(pid: Int32) -> Int? { field("VmRSS:", pid: pid) }

    /// `VmHWM` (peak resident) in bytes; `nil` when the process is gone.
    public static func peakResidentBytes(pid: Int32) -> Int? { field("VmHWM:", pid: pid) }

    private static func field(_ name: String, pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
