/// An arbitrary JSON document, as carried in `input_data`, `metadata` and task results.
///
/// Integers are kept exact in ``int(_:)``; only numbers with a fraction or an exponent, or integers
/// outside the `Int64` range, become ``double(_:)``. Objects keep their keys in the order they were
/// first inserted (see ``JSONObject``). Read documents with ``parse(_:maxDepth:)-(Data,_)`` and write
/// them with ``write(into:)``.
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integral number that fits in `Int64`.
    case int(Int64)
    /// Any other number (always finite).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, its keys in insertion order.
    case object(JSONObject)
}
