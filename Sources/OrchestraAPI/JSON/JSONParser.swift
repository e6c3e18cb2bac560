/// A single-pass JSON reader over UTF-8 bytes (RFC 8259, strictly), used by ``JSONValue/parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
///
/// Every byte is looked at a bounded number of times and every value is copied once, into the
/// array or object that holds it, so time is linear in the input. Containers are tracked on an
/// explicit stack rather than by recursion, so deep documents cannot exhaust the thread's stack.
///
/// Written to stay fast in debug builds too (tests parse large documents): bytes are compared with
/// integer literals rather than `UInt8(ascii:)` calls, there are no closures in the loops, and the
/// parser itself holds only trivial values, so calling its methods never copies anything counted.
struct JSONParser {
    /// The document.
    let input: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    var position = 0
    /// The most arrays and objects that may be open at once.
    let maxDepth: Int

    init(_ input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    /// An open array or object: where its elements (and, for an object, its keys) start on the
    /// shared stacks.
    private struct Frame {
        var isObject: Bool
        var valueStart: Int
        var keyStart: Int
    }

    /// Reads the whole input as one document, with optional whitespace around it.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        // A UTF-8 byte order mark may be ignored (RFC 8259 §8.1); Python's `json.loads` of bytes does.
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { position = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == input.count else { throw JSONParseError(.extraData, at: position) }
        return value
    }

    /// Reads one value starting at ``position`` (whitespace already skipped).
    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        var frames: [Frame] = []
        // Finished elements and members of every open container, innermost last.
        var values: [JSONValue] = []
        var keys: [String] = []
        // Room for a typical request body, so the stacks do not grow one doubling at a time.
        frames.reserveCapacity(8)
        values.reserveCapacity(32)
        keys.reserveCapacity(16)

        nextValue: while true {
            guard position < input.count else { throw JSONParseError(.expectingValue, at: position) }
            var value: JSONValue
            switch input[position] {
            case 0x5B:  // "["
                try checkDepth(frames.count + 1)
                position += 1
                skipWhitespace()
                if consume(0x5D) {  // "]"
                    value = .array([])
                } else {
                    frames.append(Frame(isObject: false, valueStart: values.count, keyStart: keys.count))
                    continue nextValue
                }
            case 0x7B:  // "{"
                try checkDepth(frames.count + 1)
                position += 1
                skipWhitespace()
                if consume(0x7D) {  // "}"
                    value = .object(JSONObject())
                } else {
                    frames.append(Frame(isObject: true, valueStart: values.count, keyStart: keys.count))
                    keys.append(try parseMemberName())
                    continue nextValue
                }
            case 0x22:  // `"`
                value = .string(try parseString())
            case 0x2D, 0x30...0x39:  // "-" and digits
                value = try parseNumber()
            case 0x74:  // "t"
                try parseLiteral("true")
                value = .bool(true)
            case 0x66:  // "f"
                try parseLiteral("false")
                value = .bool(false)
            case 0x6E:  // "n"
                try parseLiteral("null")
                value = .null
            default:
                throw JSONParseError(.expectingValue, at: position)
            }

            // Hand the value to the innermost open container; close every container that ends here.
            while let frame = frames.last {
                values.append(value)
                skipWhitespace()
                guard position < input.count else { throw JSONParseError(.expectingComma, at: position) }
                let byte = input[position]
                if byte == 0x2C {  // ","
                    let comma = position
                    position += 1
                    skipWhitespace()
                    if frame.isObject {
                        if peek(0x7D) { throw JSONParseError(.trailingCommaInObject, at: comma) }
                        keys.append(try parseMemberName())
                    } else if peek(0x5D) {
                        throw JSONParseError(.trailingCommaInArray, at: comma)
                    }
                    continue nextValue
                }
                guard byte == (frame.isObject ? 0x7D : 0x5D) else {
                    throw JSONParseError(.expectingComma, at: position)
                }
                position += 1
                frames.removeLast()
                if frame.isObject {
                    value = .object(JSONObject(parsedKeys: keys[frame.keyStart...], values: values[frame.valueStart...]))
                    keys.removeLast(keys.count - frame.keyStart)
                } else {
                    value = .array(Array(values[frame.valueStart...]))
                }
                values.removeLast(values.count - frame.valueStart)
            }
            return value
        }
    }

    /// Reads `"name"`, the `:` after it and the whitespace around it.
    private mutating func parseMemberName() throws(JSONParseError) -> String {
        guard peek(0x22) else { throw JSONParseError(.expectingPropertyName, at: position) }  // `"`
        let name = try parseString()
        skipWhitespace()
        guard consume(0x3A) else { throw JSONParseError(.expectingColon, at: position) }  // ":"
        skipWhitespace()
        return name
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        guard input.count - position >= length,
            UnsafeBufferPointer(rebasing: input[position..<position + length]).elementsEqual(
                UnsafeBufferPointer(start: literal.utf8Start, count: length))
        else { throw JSONParseError(.expectingValue, at: position) }
        position += length
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        if depth > maxDepth { throw JSONParseError(.depthLimitExceeded, at: position, depthLimit: maxDepth) }
    }

    /// Skips the four whitespace characters of RFC 8259: space, tab, line feed, carriage return.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    private func peek(_ byte: UInt8) -> Bool {
        position < input.count && input[position] == byte
    }

    @inline(__always)
    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        position += 1
        return true
    }
}
