import HTTPTypes
import Hummingbird
import Logging
import OrchestraRedis

/// Turns every error a route or an inner middleware throws into a JSON response, so the client
/// always gets FastAPI's `{"detail": ...}` shape and nothing internal leaks: a ``GatewayError``
/// as it is, a Redis failure as 503, Hummingbird's own errors with their status, anything else
/// as 500 (logged).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as GatewayError {
            return error.response
        } catch let error as RedisError {
            logger.warning(
                "Redis failed during a request",
                metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.uri.path)"])
            return GatewayError.storageUnavailable(error).response
        } catch let error as HTTPRequestReadError {
            // The connection guard has answered already; this answer only reaches a live connection.
            return error.gatewayError.response
        } catch let error as HTTPError {
            let message = error.body ?? error.status.reasonPhrase
            return GatewayError(status: error.status, detail: .message(message), headers: error.headers).response
        } catch let error as any HTTPResponseError {
            return GatewayError(status: error.status, detail: .message(error.status.reasonPhrase)).response
        } catch {
            logger.error(
                "unexpected error during a request",
                metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.uri.path)"])
            return GatewayError.internalError.response
        }
    }
}
