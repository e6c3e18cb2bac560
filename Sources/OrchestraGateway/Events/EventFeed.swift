import OrchestraAPI
import OrchestraConcurrency
import OrchestraScheduler

/// Follows live event streams for one subscriber, whatever carries them (Server-Sent Events or a
/// WebSocket): it reads through the gateway's ``EventHub`` (one Redis read per stream, however
/// many follow it), hands each batch to `deliver` at the subscriber's pace, and calls `idle` when
/// nothing arrived for ``heartbeat``.
struct EventFeed: Sendable {
    /// One event as a subscriber receives it.
    struct Delivery: Sendable {
        /// The id to resume after (`Last-Event-ID`).
        var id: String
        var type: String
        /// The event's JSON object (the `data:` of an SSE event), compact.
        var json: String
    }

    let hub: EventHub
    let keys: KeySchema
    let heartbeat: Duration

    /// Follows workflow `workflowID`'s events after `last` (from the start when `nil`) until its
    /// terminal event has been delivered, `stop` is signalled or the task is cancelled.
    func followWorkflow(
        _ workflowID: String, after last: String?, stop: AsyncEvent,
        deliver: ([Delivery]) async throws -> Void, idle: () async throws -> Void
    ) async throws {
        let key = keys.workflow(workflowID).events
        try await hub.join([(key, keys.shard(of: workflowID))])
        defer { hub.leave([key]) }
        var cursor = last
        while !stop.isSignalled, !Task.isCancelled {
            let events = try await hub.events(in: key, after: cursor)
            if events.isEmpty {
                await hub.wait(for: [(key, cursor)], timeout: heartbeat, stop: stop)
                if stop.isSignalled { break }
                if try await hub.events(in: key, after: cursor).isEmpty { try await idle() }
                continue
            }
            try await deliver(
                events.map { Delivery(id: $0.id, type: $0.type, json: hub.json($0, in: key, workflowID: workflowID)) })
            cursor = events.last?.id
            if events.contains(where: \.isTerminal) { break }
        }
    }

    /// The cursors of the cluster-wide streams to start after: the positions in `last` (a
    /// composite id of ``followCluster(after:wanted:stop:deliver:idle:)``), or the last `replay`
    /// events of each shard. `nil` when `last` is not an id of this stream.
    func clusterCursors(after last: String?, replay: Int) async throws -> [String?]? {
        let shards = keys.shards
        if let last {
            let parts = last.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == shards.count, parts.allSatisfy(StreamID.isValid) else { return nil }
            return parts
        }
        var cursors: [String?] = []
        for shard in shards {
            let recent = try await hub.log.tail(shard.events, count: replay + 1)
            cursors.append(recent.count > replay ? recent[0].id : "0-0")
        }
        return cursors
    }

    /// Follows every shard's lifecycle stream from `cursors` (see ``clusterCursors(after:replay:)``),
    /// delivering the events `wanted` accepts with composite ids (the shards' positions joined with
    /// `~`), until `stop` is signalled or the task is cancelled.
    func followCluster(
        from cursors: [String?], wanted: (StoredEvent) -> Bool, stop: AsyncEvent,
        deliver: ([Delivery]) async throws -> Void, idle: () async throws -> Void
    ) async throws {
        let shards = keys.shards
        let streams = shards.map(\.events)
        try await hub.join(shards.map { ($0.events, $0.index) })
        defer { hub.leave(streams) }
        var positions = cursors
        while !stop.isSignalled, !Task.isCancelled {
            var batch: [Delivery] = []
            for (index, key) in streams.enumerated() {
                for event in try await hub.events(in: key, after: positions[index]) {
                    positions[index] = event.id
                    guard wanted(event) else { continue }
                    let id = positions.map { $0 ?? "0-0" }.joined(separator: "~")
                    batch.append(Delivery(id: id, type: event.type, json: hub.json(event, in: key, workflowID: nil)))
                }
            }
            if !batch.isEmpty {
                try await deliver(batch)
                continue
            }
            await hub.wait(for: zip(streams, positions).map { (key: $0, after: $1) }, timeout: heartbeat, stop: stop)
            if stop.isSignalled { break }
            var fresh = false
            for (index, key) in streams.enumerated() where !(try await hub.events(in: key, after: positions[index], count: 1).isEmpty) {
                fresh = true
            }
            if !fresh { try await idle() }
        }
    }
}
