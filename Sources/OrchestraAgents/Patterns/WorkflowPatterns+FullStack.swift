import OrchestraAPI

extension WorkflowPatterns {
    /// Longest `feature`, in bytes.
    static let maxFeatureBytes = 16 * 1024

    /// `full-stack-development`: a sequential pipeline frontend → backend → QA → debugger → QA,
    /// each step working on the previous step's output. Parameter: `feature`.
    public static let fullStackDevelopment = WorkflowPattern(
        name: "full-stack-development",
        description: """
            Sequential full-stack pipeline for one feature: the frontend agent designs the UI and the API it needs, \
            the backend agent implements that API, QA tests it, the debugger fixes what QA found, and QA verifies the fixes.
            """,
        workflowType: .sequential,
        parameters: [
            PatternParameter(
                name: "feature", description: "The feature to build, e.g. \"User profile dashboard\".",
                kind: .text(maxBytes: maxFeatureBytes), isRequired: true)
        ]
    ) { arguments in
        let feature = arguments["feature"]
        return [
            agent(.frontend, "frontend").task(
                """
                Design and build the frontend for this feature: \(feature)

                Deliver the React/Next.js components with their state, the screens and user flows, and the API calls \
                the UI makes (method, path, request and response shapes), so that the backend can implement exactly those.
                """),
            agent(.backend, "backend").task(
                """
                Build the backend for this feature: \(feature)

                The frontend design from the previous step is in the context. Implement the API it calls: endpoints, \
                data model and storage, input validation, authorisation and error responses. Note any change you make \
                to the API the frontend expects.
                """),
            agent(.qa, "qa").task(
                """
                Test the implementation of this feature: \(feature)

                The backend implementation from the previous step is in the context. Write concrete test cases with \
                expected results for the main flows, edge cases and failures, and list every defect you find, most \
                severe first, with how to reproduce it.
                """),
            agent(.debugger, "debugger").task(
                """
                Fix the defects QA reported for this feature: \(feature)

                The QA report from the previous step is in the context. For each defect find the root cause, explain it \
                briefly and give the corrected code. Say which defects, if any, you could not fix and why.
                """),
            agent(.qa, "qa-verification").task(
                """
                Verify the fixes for this feature: \(feature)

                The debugger's fixes from the previous step are in the context. Check each reported defect against the \
                corrected code, re-run the relevant test cases, and conclude whether the feature is ready to ship, \
                listing anything still open.
                """),
        ]
    }
}
