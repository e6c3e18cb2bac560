extension String {
    /// The string without trailing `/`, so `base + "/path"` never doubles a slash.
    func trimmingTrailingSlashes() -> String {
        var value = Substring(self)
        while value.hasSuffix("/") { value.removeLast() }
        return String(value)
    }
}
