import Foundation

/// Standard output for the watch views: unbuffered writes, and what the terminal is.
enum Terminal {
    /// Whether standard output is a terminal (not a pipe or a file).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) != 0 }

    /// The terminal's width in columns (80 when unknown).
    static var width: Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Writes `text` at once, unbuffered (a pipe reader sees each line as it happens).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
