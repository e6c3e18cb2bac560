/// A claimed task the worker cannot turn into a provider request (its stored input is not a JSON
/// object). Final: retrying cannot help.
public struct TaskInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without the input itself.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
