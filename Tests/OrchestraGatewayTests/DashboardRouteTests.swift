import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraConfig
import OrchestraGateway
import OrchestraRedis
import OrchestraTestSupport
import Testing

@Suite("Dashboard files and the submitted-request endpoint", .timeLimit(.minutes(5)))
struct DashboardRouteTests {
    @Test("GET /dashboard serves the embedded page, script and style sheet with types, ETags and 304s; nothing from elsewhere")
    func embeddedFiles() async throws {
        try await GatewayFixture.run { gateway in
            let page = try await gateway.request(.GET, "/dashboard")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Cache-Control") == "no-cache")
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(page.text.contains(#"src="dashboard/dashboard.js""#) && page.text.contains(#"href="dashboard/dashboard.css""#))
            // Relative addresses only: no CDN, no absolute path (the page works behind a prefix).
            #expect(!page.text.contains("http") && !page.text.contains(#"="/"#))
            for (path, type) in [("/dashboard/dashboard.js", "text/javascript"), ("/dashboard/dashboard.css", "text/css")] {
                let file = try await gateway.request(.GET, path)
                #expect(file.status == 200, "\(path)")
                #expect(file.header("Content-Type") == type + "; charset=utf-8", "\(path)")
                #expect(!file.text.contains("https:"), "\(path)")
            }
            let script = try await gateway.request(.GET, "/dashboard/dashboard.js").text
            #expect(script.contains("X-API-Key") && script.contains("Last-Event-ID") && script.contains("sessionStorage"))

            let tag = try #require(page.header("ETag"))
            #expect(tag.count == 18 && tag.hasPrefix("\"") && tag.hasSuffix("\""))
            for header in [tag, "W/" + tag, "\"other\", " + tag, "*"] {
                let again = try await gateway.request(.GET, "/dashboard", headers: [("If-None-Match", header)])
                #expect(again.status == 304, "\(header)")
                #expect(again.body.isEmpty && again.header("ETag") == tag)
            }
            #expect(try await gateway.request(.GET, "/dashboard", headers: [("If-None-Match", "\"other\"")]).status == 200)
            #expect(try await gateway.request(.HEAD, "/dashboard").status == 200)

            // A raw connection: the HTTP client would follow the redirect.
            let connection = try await gateway.connect()
            try await connection.send("GET /dashboard/ HTTP/1.1\r\nHost: test\r\n\r\n")
            let slash = try await connection.response()
            await connection.close()
            #expect(slash.status == 308)
            #expect(slash.header("Location") == "../dashboard")
            #expect(try await gateway.request(.GET, "/dashboard/secrets.txt").status == 404)
            #expect(try await gateway.request(.GET, "/dashboard/index.html").status == 200)
            #expect(try await gateway.request(.POST, "/dashboard", body: "{}").status == 405)
        }
    }

    @Test("With API_KEY set the dashboard's files are public and the API it calls is not")
    func publicWithAPIKey() async throws {
        try await GatewayFixture.run(configure: { $0.apiKey = "dash-key" }) { (gateway) async throws in
            for path in ["/dashboard", "/dashboard/dashboard.js", "/dashboard/dashboard.css"] {
                #expect(try await gateway.request(.GET, path).status == 200, "\(path)")
            }
            #expect(try await gateway.request(.GET, "/dashboard/missing.js").status == 404)
            for path in ["/queues", "/workers", "/usage", "/events", "/workflows/x/request"] {
                #expect(try await gateway.request(.GET, path).status == 401, "\(path)")
            }
            #expect(try await gateway.request(.POST, "/dashboard", body: "{}").status == 401)
            // The public prefix opens nothing else: dot segments are not resolved into API paths.
            for path in ["/dashboard/../queues", "/dashboard/%2e%2e/queues", "/dashboard/..%2fqueues", "/dashboard/x/../../workers"] {
                let connection = try await gateway.connect()
                try await connection.send("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
                let response = try await connection.response()
                await connection.close()
                #expect(response.status == 404, "\(path): \(response)")
            }
        }
    }

    @Test("Before the gateway is ready (Redis unreachable) the dashboard's files are served and the API answers 503")
    func servedBeforeReady() async throws {
        let closed = try ClosedPort()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(closed.port)/0")
        configuration.connectTimeout = .seconds(1)
        configuration.commandTimeout = .seconds(1)
        try await GatewayFixture.run(redis: RedisClient(configuration: configuration), waitUntilReady: false) { (gateway) async throws in
            for path in ["/dashboard", "/dashboard/dashboard.js", "/dashboard/dashboard.css"] {
                #expect(try await gateway.request(.GET, path).status == 200, "\(path)")
            }
            #expect(try await gateway.request(.GET, "/queues").status == 503)
        }
    }

    @Test("DASHBOARD_DIR serves the files of a directory, read on every request")
    func developmentDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("index.html")
        try Data("<p>first</p>".utf8).write(to: page)
        try await GatewayFixture.run(configure: { $0.dashboardDirectory = directory.path }) { gateway in
            let first = try await gateway.request(.GET, "/dashboard")
            #expect(first.text == "<p>first</p>")
            try Data("<p>second</p>".utf8).write(to: page)
            let second = try await gateway.request(.GET, "/dashboard")
            #expect(second.text == "<p>second</p>")
            #expect(second.header("ETag") != first.header("ETag"))
            #expect(try await gateway.request(.GET, "/dashboard/dashboard.js").status == 404)
        }
    }

    @Test("GET /workflows/{id}/request returns the workflow as submitted, which POST /run-graph accepts again")
    func submittedRequest() async throws {
        try await GatewayFixture.run { gateway in
            let options = #", "llm_model": "echo", "temperature": 0.5, "max_tokens": 64, "timeout_s": 30, "max_attempts": 2"#
            let body = Bodies.workflow(
                "req-1", type: "graph",
                tasks: [Bodies.task("a", extra: options), Bodies.task("b", role: "qa", dependsOn: ["a"])],
                metadata: #"{"team": "web", "n": 1}"#)
            #expect(try await gateway.submit(body).status == 200)
            let response = try await gateway.request(.GET, "/workflows/req-1/request")
            #expect(response.status == 200)
            let request = try response.json()
            #expect(request["workflow_id"] == "req-1")
            #expect(request["workflow_type"] == "graph")
            #expect(request["metadata"] == ["team": "web", "n": 1])
            #expect(request["added_tasks"] == [])
            let tasks = try #require(request["tasks"]?.arrayValue)
            #expect(tasks.count == 2)
            #expect(tasks[0]["input_data"] == ["task": "do a"])
            #expect(tasks[0]["llm_model"] == "echo" && tasks[0]["temperature"] == .double(0.5) && tasks[0]["max_tokens"] == 64)
            #expect(tasks[0]["timeout_s"]?.doubleValue == 30 && tasks[0]["max_attempts"] == 2)
            #expect(tasks[1]["agent_role"] == "qa" && tasks[1]["depends_on"] == ["a"])
            #expect(tasks[1]["llm_model"] == nil)

            // The same request, without its id, runs again as a new workflow.
            guard case .object(var again) = request else { throw TestSupportError("not an object") }
            again["workflow_id"] = "req-2"
            again["added_tasks"] = nil
            let resubmitted = try await gateway.submit(JSONValue.object(again).compactJSONString)
            #expect(resubmitted.status == 200, "\(resubmitted)")
            let copy = try await gateway.request(.GET, "/workflows/req-2/request").json()
            #expect(copy["tasks"] == request["tasks"])

            #expect(try await gateway.request(.GET, "/workflows/nope/request").status == 404)
            #expect(try await gateway.request(.GET, "/workflows/bad%20id/request").status == 404)
        }
    }
}
