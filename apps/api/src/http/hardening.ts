import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { problem, type ProblemDetails } from './problem-details.filter';

interface Request {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  is(types: string[]): string | false | null;
}

interface Response {
  setHeader(name: string, value: string): unknown;
  status(code: number): Response;
  type(contentType: string): Response;
  send(body: string): unknown;
}

type Next = (error?: unknown) => void;
type Middleware = (request: Request, response: Response, next: Next) => void;

const isDocs = (path: string): boolean => path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-json');

/**
 * The API answers JSON only: nothing of it may be framed, run as a page or sniffed as another type,
 * so its policy allows nothing at all. The set is the OWASP REST Security Cheat Sheet's (with
 * Cache-Control below): helmet's headers for pages a browser renders (cross-origin isolation,
 * DNS prefetch, download and legacy XSS switches) say nothing about a JSON reply, and every
 * header is paid for on every reply.
 */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/**
 * Swagger UI (/docs) loads its scripts and styles from our own origin but its page carries inline
 * <style> blocks and data: images. No upgrade-insecure-requests: served over plain HTTP (the
 * default, `npm start`) it would send the page's own scripts to an https:// that is not there.
 */
const docsHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/**
 * Security headers on every reply, and `Cache-Control: no-store` on everything but the docs: API
 * replies carry personal data (people in post, petitioners) and audit data that no shared or
 * browser cache should keep.
 */
const securityHeaders = (): Middleware => {
  const api: [string, string][] = [...headersOf(apiHeaders), ['Cache-Control', 'no-store']];
  const docs = headersOf(docsHeaders);
  return (request, response, next) => {
    for (const [name, value] of isDocs(request.path) ? docs : api) response.setHeader(name, value);
    next();
  };
};

/**
 * The headers a helmet middleware sets, worked out once: they are the same on every reply, and
 * setting them from a list costs a fraction of running helmet's chain of a dozen middlewares per
 * request (measured on the REST bench).
 */
function headersOf(middleware: (request: never, response: never, next: (error?: unknown) => void) => void): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, response as never, () => (called = true));
  if (!called) throw new Error('helmet did not finish synchronously; its headers cannot be worked out once');
  return [...headers];
}

function sendProblem(response: Response, body: ProblemDetails): void {
  response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * A body must be JSON (API.md). Without this a text/plain, form or multipart body would reach a
 * handler as `{}` (a command needing no fields would then run) or as form fields. A POST without a
 * body (Content-Length 0) needs no type.
 */
const jsonBodiesOnly: Middleware = (request, response, next) => {
  const length = Number(request.headers['content-length'] ?? 0);
  const hasBody = (Number.isFinite(length) && length > 0) || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || request.is(['application/json', 'application/*+json'])) return next();
  sendProblem(response, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON: Content-Type: application/json.'));
};

const PARSER_STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE'],
  HPE_URI_TOO_LONG: [414, 'URI_TOO_LONG'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT'],
};

/**
 * Requests Node's HTTP parser refuses (a URL or headers over its 16 kB, a malformed request line)
 * never reach Express; Node would answer them with a bare status line. They get a problem too.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code] = PARSER_STATUS[error.code ?? ''] ?? [400, 'MALFORMED_REQUEST'];
    const details = problem(status, code, 'The server could not read this HTTP request (its size or form); nothing was done.');
    const body = JSON.stringify(details);
    const head = [`HTTP/1.1 ${status} ${details.title}`, 'Content-Type: application/problem+json', `Content-Length: ${Buffer.byteLength(body)}`, 'Cache-Control: no-store', 'X-Content-Type-Options: nosniff', 'Connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}

/** Security headers, JSON-only bodies and problems for unreadable requests (issue 6); before any route. */
export function hardenHttp(app: INestApplication): void {
  app.use(securityHeaders());
  app.use(jsonBodiesOnly);
  answerClientErrors(app.getHttpServer() as Server);
}

/** The 415 every operation that takes a body can answer, documented once. */
export function documentJsonBodies(document: OpenAPIObject): OpenAPIObject {
  const notJson = { description: 'The body is not JSON: send Content-Type: application/json (UNSUPPORTED_MEDIA_TYPE).' };
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => {
      const withBodies = { ...item };
      for (const method of ['put', 'post', 'patch'] as const) {
        const operation = item[method];
        if (operation?.requestBody) withBodies[method] = { ...operation, responses: { '415': notJson, ...operation.responses } };
      }
      return [path, withBodies];
    }),
  );
  return { ...document, paths };
}
