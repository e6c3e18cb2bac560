import Foundation

/// The dashboard's files: the copies compiled into the binary (`Dashboard/*.html|css|js`, embedded
/// by SwiftPM), or, for development, the files of a directory read on every request (`DASHBOARD_DIR`),
/// so a change to the page needs a reload and no rebuild.
struct DashboardAssets: Sendable {
    /// The files the dashboard is made of, by the name it loads them under.
    static let names = ["index.html", "dashboard.css", "dashboard.js"]

    private let embedded: [String: DashboardAsset]
    private let directory: String?

    /// The embedded files, or those of `directory` when it is set.
    init(directory: String?) {
        self.directory = directory
        self.embedded = [
            "index.html": DashboardAsset(bytes: PackageResources.index_html, contentType: Self.contentType(of: "index.html")),
            "dashboard.css": DashboardAsset(bytes: PackageResources.dashboard_css, contentType: Self.contentType(of: "dashboard.css")),
            "dashboard.js": DashboardAsset(bytes: PackageResources.dashboard_js, contentType: Self.contentType(of: "dashboard.js")),
        ]
    }

    /// The file called `name`, or `nil` when the dashboard has none.
    func asset(named name: String) -> DashboardAsset? {
        guard Self.names.contains(name) else { return nil }
        guard let directory else { return embedded[name] }
        // Development only: a small blocking read is acceptable here.
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return DashboardAsset(bytes: Array(data), contentType: Self.contentType(of: name))
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        return "text/javascript; charset=utf-8"
    }
}
