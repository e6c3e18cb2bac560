import OrchestraClient

/// Follows a workflow's event stream to its end across dropped connections and gateway restarts:
/// every event is handled once, in order, because each reconnection resumes after the last id
/// seen (`Last-Event-ID`).
struct EventFollower {
    let gateway: GatewayClient
    let workflowID: String
    /// How long to keep reconnecting without receiving anything before giving up.
    var giveUpAfter: Duration = .seconds(60)

    /// The watcher could not follow the stream.
    struct Lost: Error, CustomStringConvertible {
        var description: String
    }

    /// Passes every event to `handle` until the terminal one, which it returns. Throws the
    /// gateway's refusal (4xx, e.g. an unknown workflow) at once, and ``Lost`` after
    /// ``giveUpAfter`` of failed reconnections.
    func follow(_ handle: (GatewayClient.Event) async throws -> Void) async throws -> GatewayClient.Event {
        var last: String?
        var terminal: GatewayClient.Event?
        var pause = Duration.milliseconds(200)
        var lastProgress = ContinuousClock.now
        while true {
            do {
                try await gateway.readEvents(of: workflowID, after: last) { event in
                    last = event.id
                    lastProgress = .now
                    pause = .milliseconds(200)
                    try await handle(event)
                    if event.isTerminal { terminal = event }
                }
            } catch let failure as GatewayClient.Failure where (400..<500).contains(failure.status) {
                throw failure
            } catch let error as CancellationError {
                throw error
            } catch {
                // A dropped connection or a gateway going away: resume below.
            }
            if let terminal { return terminal }
            guard ContinuousClock.now - lastProgress < giveUpAfter else {
                throw Lost(description: "no events from the gateway for \(giveUpAfter); stopped watching \(workflowID)")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }
}
