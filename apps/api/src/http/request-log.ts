import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@app/observability';
import type { Principal } from '@app/shared-kernel';
import type { ApiMetrics } from '../observability/api-metrics';
import { requestIdsOf } from './request-ids';

/** What Express and the auth guard add to a request by the time it is answered. */
interface ObservedRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  principal?: Principal;
}

/** The route template that answered (`/api/v1/tasks/:id`); `unmatched` for 404s and static files, never the raw URL. */
function routeOf(request: ObservedRequest): string {
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
}

/**
 * Middleware: when a request is answered (or the client gave up), observes its duration in
 * `sl_http_request_duration_seconds` and, unless logging is off, writes one JSON line with method,
 * route, URL, status, duration, the request's ids and the caller's personId when authenticated.
 */
export function observeRequests(metrics: ApiMetrics, logger: Logger | null) {
  return (request: ObservedRequest, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = (): void => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = request.method ?? 'GET';
      const route = routeOf(request);
      const status = response.statusCode;
      metrics.httpDuration.observe({ method, route, status: String(status) }, seconds);
      if (!logger) return;
      const { requestId, correlationId } = requestIdsOf(request);
      const line = {
        method,
        route,
        url: request.originalUrl ?? request.url,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        requestId,
        correlationId,
        personId: request.principal?.personId,
        // The client went away before the answer was complete.
        aborted: response.writableFinished ? undefined : true,
      };
      if (status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    };
    response.once('finish', observe);
    response.once('close', observe);
    next();
  };
}
