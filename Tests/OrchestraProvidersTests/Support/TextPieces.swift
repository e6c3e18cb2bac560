import Synchronization

/// Collects the pieces a streaming call reports, in order.
final class TextPieces: Sendable {
    private let pieces = Mutex<[String]>([])

    /// Records one piece; pass as `onText`.
    @Sendable func append(_ piece: String) async {
        pieces.withLock { $0.append(piece) }
    }

    /// Every piece so far.
    var all: [String] { pieces.withLock { $0 } }
    /// The pieces joined.
    var text: String { all.joined() }
}
