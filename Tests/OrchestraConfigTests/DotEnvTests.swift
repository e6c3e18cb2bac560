import Foundation
import Logging
import OrchestraConfig
import Testing

@Suite struct DotEnvTests {
    @Test func parsesTheSeedExample() throws {
        let contents = """
            # Service Configuration
            ORCHESTRATOR_HOST=0.0.0.0
            ORCHESTRATOR_PORT=8000

            # LLM Providers
            OPENAI_API_KEY=sk-xxx
            ANTHROPIC_API_KEY=sk-ant-xxx  # Optional
            CORS_ORIGINS=http://localhost:3000
            """
        #expect(
            try DotEnv.parse(contents) == [
                "ORCHESTRATOR_HOST": "0.0.0.0", "ORCHESTRATOR_PORT": "8000", "OPENAI_API_KEY": "sk-xxx",
                "ANTHROPIC_API_KEY": "sk-ant-xxx", "CORS_ORIGINS": "http://localhost:3000",
            ]
        )
    }

    @Test func edgeCases() throws {
        let contents = """
            export EXPORTED=yes
              SPACED  =  value with spaces   
            EMPTY=
            HASH_NO_SPACE=abc#def
            SINGLE='literal \\n $X # not a comment'
            DOUBLE="line1\\nline2 \\"quoted\\" # kept"   # a comment
            MULTI="first
            second"
            BARE_KEY
            DUP=1
            DUP=2
            CRLF=value\r
            WITH_EQUALS=a=b=c
            """
        let values = try DotEnv.parse(contents)
        #expect(values["EXPORTED"] == "yes")
        #expect(values["SPACED"] == "value with spaces")
        #expect(values["EMPTY"] == "")
        #expect(values["HASH_NO_SPACE"] == "abc#def")
        #expect(values["SINGLE"] == "literal \\n $X # not a comment")
        #expect(values["DOUBLE"] == "line1\nline2 \"quoted\" # kept")
        #expect(values["MULTI"] == "first\nsecond")
        #expect(values["BARE_KEY"] == nil)
        #expect(values["DUP"] == "2")
        #expect(values["CRLF"] == "value")
        #expect(values["WITH_EQUALS"] == "a=b=c")
        #expect(values.count == 10)
    }

    @Test func malformedLinesNameTheLine() {
        let unterminated = #expect(throws: DotEnvError.self) { try DotEnv.parse("A=1\nB=\"open\nC=3") }
        #expect(unterminated?.description == ".env line 2: unterminated double-quoted value")
        let badKey = #expect(throws: DotEnvError.self) { try DotEnv.parse("A=1\n\nBAD KEY=2") }
        #expect(badKey?.line == 3)
        let trailing = #expect(throws: DotEnvError.self) { try DotEnv.parse("Q='x' junk") }
        #expect(trailing?.line == 1)
    }

    @Test func processEnvironmentWins() {
        let merged = DotEnv.merge(processEnvironment: ["PORT": "1", "ONLY_PROCESS": "p"], dotEnv: ["PORT": "2", "ONLY_FILE": "f"])
        #expect(merged == ["PORT": "1", "ONLY_PROCESS": "p", "ONLY_FILE": "f"])
    }

    @Test func loadsAFileOrNothing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)").path
        #expect(try DotEnv.loadIfPresent(path: path) == [:])
        try "ORCHESTRATOR_PORT=9100\nLOG_LEVEL=debug\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dotEnv = try DotEnv.loadIfPresent(path: path)
        let configuration = try OrchestraConfiguration(settings: SettingsReader(environment: ["LOG_LEVEL": "ERROR"], dotEnv: dotEnv))
        #expect(configuration.port == 9100)
        #expect(configuration.logLevel == .error)
    }

    @Test func flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws {
        let settings = SettingsReader(
            flags: ["ORCHESTRATOR_PORT": "7000"],
            environment: ["ORCHESTRATOR_PORT": "8000", "LOG_LEVEL": "error", "OPENAI_API_KEY": " ", "WORKER_CONCURRENCY": "12"],
            dotEnv: ["ORCHESTRATOR_PORT": "9000", "LOG_LEVEL": "debug", "OPENAI_API_KEY": "sk-file", "ORCHESTRATOR_HOST": "10.0.0.1"])
        let configuration = try OrchestraConfiguration(settings: settings)
        #expect(configuration.port == 7000)
        #expect(configuration.logLevel == .error)
        #expect(configuration.host == "10.0.0.1")
        #expect(configuration.workerConcurrency == 12)
        // A blank variable in the process hides the file's value (python-dotenv's override=False),
        // and blank means unset.
        #expect(settings.secret("OPENAI_API_KEY") == nil)
        #expect(settings.names == ["LOG_LEVEL", "OPENAI_API_KEY", "ORCHESTRATOR_HOST", "ORCHESTRATOR_PORT", "WORKER_CONCURRENCY"])
        // A bad value in any layer is an error naming the variable, never a silent default.
        let bad = #expect(throws: ConfigurationError.self) {
            try OrchestraConfiguration(settings: SettingsReader(environment: [:], dotEnv: ["ORCHESTRATOR_PORT": "http"]))
        }
        #expect(bad?.variable == "ORCHESTRATOR_PORT")
    }
}
