import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError } from '@app/event-store';
import { DomainError, type ErrorKind, type FieldProblem } from '@app/shared-kernel';

/** RFC 9457 problem details, with the stable `code` and field `errors` of API.md. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: FieldProblem[];
}

function assertUnreachable(value: never): never {
  throw new Error(`unmapped error kind ${String(value)}`);
}

/** The one mapping from error kinds to HTTP statuses. */
export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'precondition_failed':
      return HttpStatus.PRECONDITION_FAILED;
    case 'rule':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    default:
      return assertUnreachable(kind);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for errors raised by the framework rather than by our use cases. */
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export function problem(status: number, code: string, detail: string, errors: FieldProblem[] = []): ProblemDetails {
  return { type: `urn:supervision-ledger:problem:${code.toLowerCase().replace(/_/g, '-')}`, title: TITLES[status] ?? 'Error', status, detail, code, errors };
}

/** What the body parser reports (malformed JSON, too large) before any handler runs. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

/** Body-parser errors arrive as they are or, from Nest's Express adapter, as the cause of an HttpException. */
function parserProblem(error: unknown): ProblemDetails | null {
  const parser = ((error as { cause?: unknown })?.cause ?? error) as BodyParserError | undefined;
  if (parser?.type === 'entity.parse.failed') return problem(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  if (parser?.type === 'entity.too.large') return problem(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.');
  return null;
}

function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) return problem(statusOf(error.kind), error.code, error.message, error.fields);
  if (error instanceof ConcurrencyError) {
    return problem(HttpStatus.CONFLICT, 'CONCURRENT_CHANGE', 'Someone else changed this resource at the same time; read it again and retry.');
  }
  const parsed = parserProblem(error);
  if (parsed) return parsed;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    // Our own controllers may hand a finished problem to an HttpException (e.g. health checks).
    if (typeof body === 'object' && body !== null && 'code' in body && 'detail' in body) return { ...problem(status, 'ERROR', ''), ...(body as Partial<ProblemDetails>) };
    return problem(status, HTTP_CODES[status] ?? 'ERROR', error.message);
  }
  const parser = error as BodyParserError;
  if (parser?.expose && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return problem(parser.status, HTTP_CODES[parser.status] ?? 'BAD_REQUEST', parser.message ?? 'The request was refused.');
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'The server failed to handle the request; nothing was recorded by it.');
}

/** The little of Express's response the filter uses. */
interface HttpResponse {
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: string): void;
}

/** Every error leaves as application/problem+json (API.md, DESIGN.md §6). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const body = toProblem(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
