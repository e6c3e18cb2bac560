import Foundation

/// Reads `.env` files the way python-dotenv does by default, so the seed's `.env` keeps working.
///
/// Supported: `KEY=VALUE` lines, `export KEY=VALUE`, blank lines and `#` comment lines, whitespace
/// around keys and `=`, single-quoted values (literal, `\'` and `\\` escapes), double-quoted values
/// (escapes `\n \r \t \" \\`; may span lines), and unquoted values ending at an inline ` #` comment.
/// A line with a key and no `=` is ignored, as python-dotenv does. Variable interpolation
/// (`${VAR}`) is not performed.
public enum DotEnv {
    /// Parses the contents of a `.env` file. Later assignments of the same key win.
    ///
    /// - Throws: ``DotEnvError`` with the 1-based line of a malformed entry.
    public static func parse(_ contents: String) throws(DotEnvError) -> [String: String] {
        var scanner = DotEnvScanner(contents)
        var values: [String: String] = [:]
        while let (key, value) = try scanner.nextEntry() {
            values[key] = value
        }
        return values
    }

    /// Parses the file at `path`, or returns `[:]` when there is no such file.
    ///
    /// - Throws: ``DotEnvError`` when the file exists but cannot be read or is malformed.
    public static func loadIfPresent(path: String) throws(DotEnvError) -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DotEnvError(line: 0, reason: "cannot read '\(path)'")
        }
        return try parse(contents)
    }

    /// `dotEnv` overlaid by `processEnvironment`: a variable set in the process wins over the file
    /// (python-dotenv's default, `override=False`), as ``SettingsReader`` reads them. What a
    /// process hands its child processes.
    public static func merge(processEnvironment: [String: String], dotEnv: [String: String]) -> [String: String] {
        dotEnv.merging(processEnvironment) { _, process in process }
    }
}

/// A `.env` file could not be parsed. The description names the line, never a value.
public struct DotEnvError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the problem (0 when it concerns the whole file).
    public let line: Int
    /// What is wrong.
    public let reason: String

    /// `.env line 3: unterminated double-quoted value`.
    public var description: String {
        line > 0 ? ".env line \(line): \(reason)" : ".env: \(reason)"
    }
}
