import Logging
import OrchestraAPI
import OrchestraConcurrency
import OrchestraRedis
import OrchestraScheduler
import Synchronization

/// Fans event streams out to every subscriber of this gateway with one Redis read per stream,
/// however many watch it.
///
/// Per shard, one reader blocks (`XREAD BLOCK`) on every stream of that shard that has
/// subscribers — they share the shard's hash tag, so one call covers them, on Redis Cluster too —
/// and keeps the newest events of each stream in a small bounded buffer. A subscriber takes what
/// follows its own cursor from that buffer; one that fell behind it (a slow client, or one that
/// resumes from an old id) reads from Redis at its own pace instead. So a slow client costs the
/// gateway no memory, and a thousand subscribers to one workflow cost one read.
final class EventHub: Sendable {
    /// Events a channel keeps for subscribers that are close behind.
    static let bufferCapacity = 256

    private struct Channel {
        let shard: Int
        /// The id of the event just before `buffer` (what the reader started after).
        var base: String
        /// The newest events, in order, after `base`.
        var buffer: [StoredEvent] = []
        var subscribers = 0
        /// Subscribers waiting for the next event of this stream.
        var waiters: [ObjectIdentifier: AsyncEvent] = [:]

        /// The id the reader continues after.
        var last: String { buffer.last?.id ?? base }
    }

    private struct State {
        var channels: [String: Channel] = [:]
        /// Shards whose reader runs, with its current blocking read (cancelled to re-read when the
        /// shard's set of streams changes).
        var readers: [Int: Task<[String: [StoredEvent]], any Error>?] = [:]
    }

    private let state = Mutex(State())
    /// Each event's JSON, rendered once for all its subscribers, by stream key and id, and the
    /// bytes of JSON the table holds.
    private let rendered = Mutex<(table: [String: String], bytes: Int)>(([:], 0))
    /// Rendered events kept, and their bytes (task outputs can be large); the table is emptied
    /// when either is reached (they render again on demand).
    static let renderedCapacity = 16_384
    static let renderedByteCapacity = 8 << 20
    let log: EventLog
    private let logger: Logger

    init(log: EventLog, logger: Logger) {
        self.log = log
        self.logger = logger
    }

    // MARK: Subscribers

    /// Subscriptions to streams held right now (a subscriber of several streams counts for each).
    var subscriptionCount: Int { state.withLock { $0.channels.values.reduce(0) { $0 + $1.subscribers } } }

    /// Starts watching `streams` for a subscriber. Call ``leave(_:)`` with the same keys when done.
    func join(_ streams: [(key: String, shard: Int)]) async throws(RedisError) {
        for stream in streams {
            if state.withLock({ state in state.channels[stream.key].map { _ in state.channels[stream.key]!.subscribers += 1 } }) != nil {
                continue
            }
            // The reader starts after the stream's newest event now; older ones come from Redis.
            let newest = try await log.tail(stream.key, count: 1).last?.id ?? "0-0"
            let created = state.withLock { state -> Bool in
                if state.channels[stream.key] != nil {
                    state.channels[stream.key]!.subscribers += 1
                    return false
                }
                state.channels[stream.key] = Channel(shard: stream.shard, base: newest, subscribers: 1)
                return true
            }
            if created { rereadShard(stream.shard) }
        }
    }

    /// Stops watching `keys` for a subscriber; a stream nobody watches is dropped from its reader.
    func leave(_ keys: [String]) {
        var shards: Set<Int> = []
        let waiters = state.withLock { state -> [AsyncEvent] in
            var waiters: [AsyncEvent] = []
            for key in keys {
                guard var channel = state.channels[key] else { continue }
                channel.subscribers -= 1
                if channel.subscribers <= 0 {
                    waiters += channel.waiters.values
                    state.channels[key] = nil
                    shards.insert(channel.shard)
                } else {
                    state.channels[key] = channel
                }
            }
            return waiters
        }
        for waiter in waiters { waiter.signal() }
        for shard in shards { rereadShard(shard) }
    }

    /// Events a subscriber behind the buffer reads from Redis at a time: what it holds while its
    /// client is slow to take them (task outputs can be large).
    static let redisReadCount = 64

    /// What follows `cursor` (the last id seen; `nil` for the stream's start) in stream `key`: from
    /// the buffer when the cursor is within it (at most `count`), else from Redis (at most
    /// ``redisReadCount``).
    func events(in key: String, after cursor: String?, count: Int = bufferCapacity) async throws(RedisError) -> [StoredEvent] {
        let buffered = state.withLock { state -> [StoredEvent]? in
            guard let channel = state.channels[key], let cursor, !StreamID.precedes(cursor, channel.base) else { return nil }
            // Ids increase along the buffer: binary search for the first one after the cursor.
            var low = 0
            var high = channel.buffer.count
            while low < high {
                let middle = (low + high) / 2
                if StreamID.precedes(cursor, channel.buffer[middle].id) { high = middle } else { low = middle + 1 }
            }
            return Array(channel.buffer[low..<min(channel.buffer.count, low + count)])
        }
        if let buffered { return buffered }
        return try await log.read(key, after: cursor, count: min(count, Self.redisReadCount))
    }

    /// Returns once one of the streams has an event after its cursor (at once if one has), after
    /// `timeout`, when `stop` is signalled, or when the calling task is cancelled.
    func wait(for cursors: [(key: String, after: String?)], timeout: Duration, stop: AsyncEvent) async {
        let waiter = AsyncEvent()
        let registered = state.withLock { state -> Bool in
            for (key, cursor) in cursors {
                guard let channel = state.channels[key] else { continue }
                if StreamID.precedes(cursor ?? "0-0", channel.last) { return false }
            }
            for (key, _) in cursors { state.channels[key]?.waiters[ObjectIdentifier(waiter)] = waiter }
            return true
        }
        guard registered, !stop.isSignalled else { return }
        // No tasks per wait: `stop` wakes the waiter, and so does the ticker at the timeout.
        let forwarding = stop.forward(to: waiter)
        await waiter.wait(atMost: timeout)
        if let forwarding { stop.stopForwarding(forwarding) }
        state.withLock { state in
            for (key, _) in cursors { state.channels[key]?.waiters[ObjectIdentifier(waiter)] = nil }
        }
    }

    /// `event`'s JSON (API.md §6) from stream `key`, rendered once however many subscribers
    /// receive it. `workflowID` is the workflow of a per-workflow stream.
    func json(_ event: StoredEvent, in key: String, workflowID: String?) -> String {
        let cacheKey = key + " " + event.id
        if let text = rendered.withLock({ $0.table[cacheKey] }) { return text }
        let text = JSONValue.object(EventJSON.object(event, workflowID: workflowID)).compactJSONString
        rendered.withLock { cache in
            if cache.table.count >= Self.renderedCapacity || cache.bytes + text.utf8.count > Self.renderedByteCapacity {
                cache.table.removeAll(keepingCapacity: true)
                cache.bytes = 0
            }
            cache.table[cacheKey] = text
            cache.bytes += text.utf8.count
        }
        return text
    }

    // MARK: Readers

    /// Starts the shard's reader, or makes a running one re-read its set of streams.
    private func rereadShard(_ shard: Int) {
        let start = state.withLock { state -> Bool in
            if let running = state.readers[shard] {
                running?.cancel()
                return false
            }
            state.readers[shard] = .some(nil)
            return true
        }
        if start { Task { await self.readLoop(shard: shard) } }
    }

    /// Reads the shard's streams while any has subscribers, distributing what arrives.
    private func readLoop(shard: Int) async {
        var pause = Duration.milliseconds(50)
        while true {
            let log = self.log
            let read = state.withLock { state -> Task<[String: [StoredEvent]], any Error>? in
                let streams = state.channels.filter { $0.value.shard == shard }.map { (key: $0.key, after: $0.value.last) }
                guard !streams.isEmpty else {
                    state.readers[shard] = nil
                    return nil
                }
                let read = Task { try await log.wait(for: streams, block: .seconds(5)) }
                state.readers[shard] = .some(read)
                return read
            }
            guard let read else { return }
            do {
                distribute(try await read.value)
                pause = .milliseconds(50)
            } catch {
                if read.isCancelled { continue }  // the set of streams changed: read again
                logger.debug("event read failed; retrying", metadata: ["shard": "\(shard)", "error": "\(error)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
        }
    }

    private func distribute(_ arrived: [String: [StoredEvent]]) {
        let waiters = state.withLock { state -> [AsyncEvent] in
            var waiters: [AsyncEvent] = []
            for (key, events) in arrived {
                guard var channel = state.channels[key] else { continue }
                let fresh = events.filter { StreamID.precedes(channel.last, $0.id) }
                guard !fresh.isEmpty else { continue }
                channel.buffer += fresh
                if channel.buffer.count > Self.bufferCapacity {
                    let dropped = channel.buffer.count - Self.bufferCapacity
                    channel.base = channel.buffer[dropped - 1].id
                    channel.buffer.removeFirst(dropped)
                }
                waiters += channel.waiters.values
                channel.waiters.removeAll()
                state.channels[key] = channel
            }
            return waiters
        }
        for waiter in waiters { waiter.signal() }
    }
}
