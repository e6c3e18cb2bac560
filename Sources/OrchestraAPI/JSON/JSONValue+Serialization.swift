extension JSONValue {
    /// Compact JSON text (no insignificant whitespace), object members in insertion order.
    ///
    /// Strings escape `"`, `\` and control characters only (`\n`, `\t`, … or `\u00XX`); `/` and
    /// non-ASCII characters are written as-is. Doubles are written in their shortest round-tripping
    /// form, always with a `.` or an exponent (`2.0`, `1e+16`), so they read back as doubles;
    /// non-finite doubles, which JSON cannot express, are written as `null`.
    public var compactJSONString: String {
        String(decoding: compactJSONBytes, as: UTF8.self)
    }

    /// ``compactJSONString`` as UTF-8 bytes.
    public var compactJSONBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        write(into: &bytes)
        return bytes
    }

    /// The size in bytes of ``compactJSONString``, counted without building it.
    public var compactJSONByteCount: Int {
        var counter = JSONByteCounter()
        JSONTreeWriter.write(self, to: &counter)
        return counter.count
    }

    /// Appends the value as compact JSON (see ``compactJSONString``) to `bytes`.
    ///
    /// The writer keeps its own stack of open containers, so any depth can be written.
    public func write(into bytes: inout [UInt8]) {
        var sink = JSONByteSink()
        swap(&sink.bytes, &bytes)
        JSONTreeWriter.write(self, to: &sink)
        swap(&sink.bytes, &bytes)
    }

    /// Appends `text` to `bytes` as one JSON string literal, quotes included, escaped as
    /// ``compactJSONString`` does. For writing JSON by hand without building a ``JSONValue``.
    public static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices where JSONEscaping.needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                JSONEscaping.appendEscape(utf8[index], to: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `number` in decimal to `bytes`.
    public static func writeInteger(_ number: Int64, into bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let digits = JSONEscaping.decimalDigitCount(magnitude)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var position = start + digits - 1
        while magnitude > 0 {
            bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        }
    }
}
