import Foundation
import OrchestraClient

/// Runs `redis-benchmark` against the same server, in the same run, for the ceiling figures.
enum RedisCeiling {
    /// Mean requests/s of SET and GET with `clients` connections and pipeline depth `pipeline`.
    static func measure(
        host: String, port: Int, password: String?, clients: Int, pipeline: Int, requests: Int, cluster: Bool = false
    ) throws -> Double {
        var arguments = [
            "redis-benchmark", "-h", host, "-p", String(port), "-c", String(clients), "-n", String(requests),
            "-P", String(pipeline), "-t", "set,get", "--csv",
        ]
        if let password { arguments += ["-a", password] }
        if cluster { arguments.append("--cluster") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("redis-benchmark exited with \(process.terminationStatus)") }
        // CSV rows: "SET","123456.79",... (a header row first on Redis 7).
        let rates = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> Double? in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count >= 2, fields[0] == "SET" || fields[0] == "GET" else { return nil }
            return Double(fields[1])
        }
        guard !rates.isEmpty else { throw BenchmarkError("could not read redis-benchmark's output") }
        return rates.reduce(0, +) / Double(rates.count)
    }
}

/// A benchmark could not run.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
