/// How the tasks of a workflow are ordered.
public enum WorkflowType: String, Sendable, Hashable, Codable, CaseIterable {
    /// One after another, in request order; each task gets the previous task's output.
    case sequential
    /// All at once, independently.
    case parallel
    /// As their `depends_on` lists say; a task waits for all its dependencies.
    case graph
}
