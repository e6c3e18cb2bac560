import Logging

/// `LOG_FORMAT=text`: swift-log's `StreamLogHandler` on standard error, with the handler's own
/// metadata kept here and merged into an entry only when one is written. `StreamLogHandler`
/// renders its whole metadata to text every time a key is set, and Hummingbird sets one (the
/// request id) on every request, logged or not: a measurable share of a `POST /run-graph`.
struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        self.stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, entry in entry }
        }
        stream.log(event: event)
    }
}
