import Foundation
import Logging
import Synchronization

/// `LOG_FORMAT=json`: one JSON object per line on standard error — `time` (ISO 8601, UTC),
/// `level`, `label`, `message`, `source`, and the entry's metadata flattened under `metadata` —
/// for log shippers (Loki, Elasticsearch, CloudWatch). swift-log ships only a text handler, and
/// no maintained package among the ones this project may use writes JSON lines, hence this one.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// Whole lines go out in one `write`, so concurrent entries never interleave.
    private static let output = Mutex<FileHandle>(FileHandle.standardError)

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let entry = event.metadata { merged.merge(entry) { _, new in new } }
        let line = Self.line(
            time: Date(), level: event.level, label: label, message: "\(event.message)", source: event.source, metadata: merged)
        Self.output.withLock { $0.write(Data(line.utf8)) }
    }

    /// The JSON line of one entry (with its trailing newline).
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, source: String, metadata: Logger.Metadata
    ) -> String {
        var out = "{\"time\":"
        appendString(time.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)), to: &out)
        out += ",\"level\":"
        appendString(level.rawValue, to: &out)
        out += ",\"label\":"
        appendString(label, to: &out)
        out += ",\"message\":"
        appendString(message, to: &out)
        out += ",\"source\":"
        appendString(source, to: &out)
        if !metadata.isEmpty {
            out += ",\"metadata\":"
            appendMetadata(metadata, to: &out)
        }
        out += "}\n"
        return out
    }

    private static func appendMetadata(_ metadata: Logger.Metadata, to out: inout String) {
        out += "{"
        for (index, key) in metadata.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            appendValue(metadata[key]!, to: &out)
        }
        out += "}"
    }

    private static func appendValue(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let string): appendString(string, to: &out)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &out)
        case .dictionary(let dictionary): appendMetadata(dictionary, to: &out)
        case .array(let array):
            out += "["
            for (index, element) in array.enumerated() {
                if index > 0 { out += "," }
                appendValue(element, to: &out)
            }
            out += "]"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    private static func appendString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count)
                    + String(control.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
