/// Why a document is not JSON, and where: the byte offset of the problem and a short reason in the
/// words of Python's `json` module (which FastAPI reports), such as `Expecting value`.
///
/// Neither the reason nor ``description`` ever contains any of the input.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem. New codes may be added; match the ones you handle and treat the rest alike.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: Sendable, Hashable {
            case expectingValue, expectingPropertyName, expectingColon, expectingComma
            case trailingCommaInArray, trailingCommaInObject, extraData
            case unterminatedString, invalidControlCharacter, invalidEscape, invalidUnicodeEscape, invalidUTF8
            case numberOutOfRange, depthLimitExceeded
        }

        fileprivate let base: Base

        /// A value was expected (also: an unknown literal such as `NaN`, or the end of the input).
        public static let expectingValue = Code(base: .expectingValue)
        /// An object member must start with a string.
        public static let expectingPropertyName = Code(base: .expectingPropertyName)
        /// A member name must be followed by `:`.
        public static let expectingColon = Code(base: .expectingColon)
        /// An element or member must be followed by `,` or the closing bracket.
        public static let expectingComma = Code(base: .expectingComma)
        /// `,` right before `]`.
        public static let trailingCommaInArray = Code(base: .trailingCommaInArray)
        /// `,` right before `}`.
        public static let trailingCommaInObject = Code(base: .trailingCommaInObject)
        /// Something other than whitespace follows the document.
        public static let extraData = Code(base: .extraData)
        /// A string has no closing quote; the offset is its opening quote.
        public static let unterminatedString = Code(base: .unterminatedString)
        /// A string contains a raw control character (U+0000 to U+001F).
        public static let invalidControlCharacter = Code(base: .invalidControlCharacter)
        /// A backslash is followed by a character that starts no escape.
        public static let invalidEscape = Code(base: .invalidEscape)
        /// `\u` is not followed by four hexadecimal digits.
        public static let invalidUnicodeEscape = Code(base: .invalidUnicodeEscape)
        /// A string contains bytes that are not UTF-8.
        public static let invalidUTF8 = Code(base: .invalidUTF8)
        /// A number's magnitude is beyond `Double` (such as `1e400`).
        public static let numberOutOfRange = Code(base: .numberOutOfRange)
        /// Arrays and objects are nested deeper than the limit.
        public static let depthLimitExceeded = Code(base: .depthLimitExceeded)

        /// The code's name, e.g. `expectingValue`.
        public var description: String { "\(base)" }
    }

    /// The kind of problem.
    public let code: Code
    /// Offset from the start of the input, in bytes, where the problem was found.
    public let offset: Int
    /// A short reason, e.g. `Expecting ',' delimiter` or `nesting depth exceeds 64`.
    public let reason: String

    /// An error at `offset`; `depthLimit` names the limit in the reason of ``Code/depthLimitExceeded``.
    init(_ code: Code, at offset: Int, depthLimit: Int = 0) {
        self.code = code
        self.offset = offset
        switch code.base {
        case .expectingValue: reason = "Expecting value"
        case .expectingPropertyName: reason = "Expecting property name enclosed in double quotes"
        case .expectingColon: reason = "Expecting ':' delimiter"
        case .expectingComma: reason = "Expecting ',' delimiter"
        case .trailingCommaInArray: reason = "Illegal trailing comma before end of array"
        case .trailingCommaInObject: reason = "Illegal trailing comma before end of object"
        case .extraData: reason = "Extra data"
        case .unterminatedString: reason = "Unterminated string starting at"
        case .invalidControlCharacter: reason = "Invalid control character at"
        case .invalidEscape: reason = "Invalid \\escape"
        case .invalidUnicodeEscape: reason = "Invalid \\uXXXX escape"
        case .invalidUTF8: reason = "Invalid UTF-8"
        case .numberOutOfRange: reason = "Number out of range"
        case .depthLimitExceeded: reason = "nesting depth exceeds \(depthLimit)"
        }
    }

    /// `<reason> (byte <offset>)`.
    public var description: String { "\(reason) (byte \(offset))" }
}
