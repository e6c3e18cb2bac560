import Hummingbird
import OrchestraAPI
import OrchestraConfig

/// The context of every request the gateway serves.
typealias GatewayRequestContext = BasicRequestContext

/// Builds the gateway's router: middleware (request metrics outermost, then CORS, error mapping,
/// readiness and the API key check) and every route, then 405 responders for known paths.
enum GatewayRouter {
    static func build(services: GatewayServices, openAPI: OpenAPIDocument) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self, options: [.autoGenerateHeadEndpoints])
        let configuration = services.configuration
        router.add(middleware: MetricsMiddleware())
        if !configuration.corsOrigins.isEmpty {
            router.add(middleware: CORSMiddleware(origins: configuration.corsOrigins))
        }
        router.add(middleware: ErrorMiddleware(logger: services.logger))
        router.add(middleware: ReadinessMiddleware(readiness: services.readiness))
        if let key = configuration.apiKey, !key.isEmpty {
            router.add(middleware: APIKeyMiddleware(key: key, metricsArePublic: configuration.metricsPublic))
        }

        let routes = RouteTable(router: router)
        ServiceRoutes(services: services).add(to: routes)
        let workflowRoutes = WorkflowRoutes(services: services)
        workflowRoutes.add(to: routes)
        EventRoutes(services: services).add(to: routes)
        PatternRoutes(workflows: workflowRoutes).add(to: routes)
        UsageRoutes(services: services).add(to: routes)
        WorkerRoutes(services: services).add(to: routes)
        MetricsRoutes(services: services).add(to: routes)
        DocsRoutes(document: openAPI).add(to: routes)
        DashboardRoutes(assets: DashboardAssets(directory: configuration.dashboardDirectory)).add(to: routes)
        routes.addMethodNotAllowedResponders()
        return router
    }
}
