extension String {
    /// The string without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        var value = Substring(self)
        while value.first?.isWhitespace == true { value.removeFirst() }
        while value.last?.isWhitespace == true { value.removeLast() }
        return String(value)
    }

    /// The string without trailing `/`, so `base + "/path"` never doubles a slash.
    func trimmingTrailingSlashes() -> String {
        var value = Substring(self)
        while value.hasSuffix("/") { value.removeLast() }
        return String(value)
    }
}
