public import OrchestraRedis

/// A position in the newest-first listing: after the workflow created at `createdAt` with `id`.
/// Its text form (`<createdAt>:<id>`) is opaque to clients.
public struct ListCursor: Sendable, Hashable, CustomStringConvertible {
    /// Creation time of the last workflow of the previous page (epoch ms).
    public var createdAt: Int64
    /// Its id (ties in `createdAt` are ordered by id, descending).
    public var id: String

    /// A cursor after the given workflow.
    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// Parses the text form; `nil` when it is not one.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let score = Int64(text[..<colon]), score >= 0 else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        self.init(createdAt: score, id: id)
    }

    public var description: String { "\(createdAt):\(id)" }
}

/// One page of the listing.
public struct WorkflowPage: Sendable, Hashable {
    /// The workflows, newest first.
    public var workflows: [StoredWorkflow]
    /// Where the next page starts; `nil` on the last page.
    public var next: ListCursor?
}

extension WorkflowStore {
    /// The most ties in one creation millisecond a cursor page reads from a shard.
    static let maximumTies = 1000

    /// Workflows newest first, optionally only those in `status`, after `cursor` (or skipping
    /// `offset`, kept small by the caller). Each shard's index is read only as deep as the page
    /// needs, so a page costs the same however many workflows are stored or skipped before it.
    public func list(status: String?, limit: Int, cursor: ListCursor? = nil, offset: Int = 0) async throws(RedisError) -> WorkflowPage {
        guard limit > 0 else { return WorkflowPage(workflows: [], next: nil) }
        // One entry more than the page per shard tells whether a next page exists.
        let depth = offset + limit + 1
        let indexKeys = keys.shards.map { shard in status.map(shard.state) ?? shard.workflows }
        var commands: [[RedisArgument]] = []
        for key in indexKeys {
            let key = RedisArgument(key)
            if let cursor {
                // Ties in the cursor's millisecond (ids below the cursor's come next), then older ones.
                let score = RedisArgument(Int(cursor.createdAt))
                commands.append(["ZRANGE", key, score, score, "BYSCORE", "REV", "LIMIT", 0, RedisArgument(Self.maximumTies), "WITHSCORES"])
                commands.append([
                    "ZRANGE", key, RedisArgument("(\(cursor.createdAt)"), "-inf", "BYSCORE", "REV", "LIMIT", 0, RedisArgument(depth),
                    "WITHSCORES",
                ])
            } else {
                commands.append(["ZRANGE", key, 0, RedisArgument(depth - 1), "REV", "WITHSCORES"])
            }
        }
        let replies = try await redis.pipeline(commands)
        var entries: [(id: String, score: Int64)] = []
        for reply in replies {
            let flat = try reply.decodeArray()
            var position = 0
            while position + 1 < flat.count {
                let id = try flat[position].decodeString()
                guard let score = Double(try flat[position + 1].decodeString()) else {
                    throw RedisError(.unexpectedReply, "a listing score that is not a number")
                }
                let created = Int64(score)
                if let cursor, created == cursor.createdAt, !id.utf8.lexicographicallyPrecedes(cursor.id.utf8) {
                    position += 2
                    continue  // at or before the cursor
                }
                entries.append((id, created))
                position += 2
            }
        }
        entries.sort { $0.score != $1.score ? $0.score > $1.score : $1.id.utf8.lexicographicallyPrecedes($0.id.utf8) }
        let page = Array(entries.dropFirst(offset).prefix(limit))
        let found = try await workflows(page.map(\.id))
        // Ids whose record expired are skipped (the reaper drops them from the index).
        let workflows = found.compactMap { $0 }
        let next = entries.count > offset + limit ? page.last.map { ListCursor(createdAt: $0.score, id: $0.id) } : nil
        return WorkflowPage(workflows: workflows, next: next)
    }
}
