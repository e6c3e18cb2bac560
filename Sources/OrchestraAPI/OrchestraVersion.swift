/// The release of AI Orchestra this build is: reported by `GET /`, the OpenAPI document and the
/// worker registry.
public enum OrchestraVersion {
    /// Semantic version.
    public static let current = "2.1.0"
}
