import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { uuidv7 } from '@app/shared-kernel';

/** The ids one request is known by: in its log line, its response headers and the metadata of every event it records. */
export interface RequestIds {
  requestId: string;
  /** A client's id for a whole conversation (several requests); the request id when none was given. */
  correlationId: string;
}

/** Plain ids only: a header value goes into logs and events, so nothing that could forge a line or bloat them. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

type Headers = Record<string, string | string[] | undefined>;

const decided = new WeakMap<object, RequestIds>();
/** The ids of the request being handled, for records made deep in a call without the request at hand (the access log). */
const current = new AsyncLocalStorage<RequestIds>();

function given(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && SAFE_ID.test(value) ? value : undefined;
}

function decide(headers: Headers): RequestIds {
  const requestId = given(headers, 'x-request-id') ?? uuidv7();
  return { requestId, correlationId: given(headers, 'x-correlation-id') ?? requestId };
}

/**
 * Middleware, first of all: decides the request's ids once (a plain `X-Request-Id` /
 * `X-Correlation-Id` header is kept, otherwise one is made) and echoes both on the response,
 * refusals included, so a client can quote them.
 */
export function requestIds(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const ids = decide(request.headers);
  decided.set(request, ids);
  response.setHeader('X-Request-Id', ids.requestId);
  response.setHeader('X-Correlation-Id', ids.correlationId);
  current.run(ids, next);
}

/** The ids of the request this code runs for, when it runs for one. */
export function currentRequestIds(): RequestIds | undefined {
  return current.getStore();
}

/** The ids the middleware decided for this request (decided here, once, if it did not run). */
export function requestIdsOf(request: { headers: Headers }): RequestIds {
  let ids = decided.get(request);
  if (!ids) {
    ids = decide(request.headers);
    decided.set(request, ids);
  }
  return ids;
}
