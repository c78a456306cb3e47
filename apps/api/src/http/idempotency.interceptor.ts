import { createHash } from 'node:crypto';
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { canonicalize } from '@app/ledger';
import { PersonalDataVault } from '@app/privacy';
import { DomainError } from '@app/shared-kernel';
import type { AuthenticatedRequest } from './auth/auth.decorators';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';

const PRINTABLE_ASCII_KEY = /^[\x20-\x7e]{1,200}$/;
/** The headers that belong to a command's answer (API.md); the rest describe one response only. */
const KEPT_HEADERS = ['etag', 'x-event-position', 'location', 'content-type'];

interface IdempotentRequest extends AuthenticatedRequest {
  method: string;
  originalUrl: string;
  body?: unknown;
}

interface HttpResponse {
  statusCode: number;
  status(code: number): unknown;
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: string): unknown;
}

function keyOf(request: IdempotentRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  if (!PRINTABLE_ASCII_KEY.test(key)) {
    throw new DomainError('invalid', 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 200 printable ASCII characters.', [{ field: 'Idempotency-Key', message: '1 to 200 printable ASCII characters' }]);
  }
  return key;
}

/**
 * The body as RFC 8785 JSON, to compare repeats. JSON.parse accepts what has no canonical form
 * (1e400 is Infinity) and nesting deep enough to exhaust the stack; no body of this API is either,
 * so such a request is refused as malformed rather than failing as a 500.
 */
function canonicalOf(body: unknown): string {
  try {
    return canonicalize(body);
  } catch {
    throw new DomainError('invalid', 'INVALID_BODY', 'The request body has a number out of range or is nested too deep; no request of this API looks like that.');
  }
}

function keptHeaders(response: HttpResponse): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}

/**
 * API.md idempotency: a POST with `Idempotency-Key` that repeats one already answered gets the
 * first answer again (status, command headers, body; marked `Idempotent-Replayed: true`) and
 * records nothing; the same key on a different request (body, by its RFC 8785 canonical form so
 * key order and spacing do not count, or method and URL) is refused with 422.
 *
 * Keys belong to the caller (their personId), so two people never collide. Only successes are
 * kept: a refused or failed request recorded nothing, so it leaves no trace either, and the
 * client may correct it and retry under the same key. Public POSTs (the dev-token endpoint) have
 * no caller to own a key and record nothing; they ignore it, which also keeps issued tokens out
 * of the database.
 *
 * Guards run first (the principal is known); this runs before the pipes, so the body it hashes is
 * the one the client sent.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    if (request.method !== 'POST') return next.handle();
    const key = keyOf(request);
    const scope = request.principal?.personId;
    if (key === undefined || scope === undefined) return next.handle();
    // Keyed: a body may name a petitioner, and a plain hash of it could be tested against guesses.
    const requestHash = this.vault.fingerprint(canonicalOf(request.body ?? null));
    const claim = await this.store.claim(scope, key, { methodPath: `POST ${request.originalUrl}`, requestHash });
    const response = http.getResponse<HttpResponse>();
    switch (claim.kind) {
      case 'claimed':
        request.idempotency = { tag: createHash('sha256').update(`${scope}\n${key}`).digest('hex').slice(0, 32), recovering: claim.recovering };
        return of(await this.run(next, response, scope, key, claim.token));
      case 'done':
        return of(this.replay(response, claim.response));
      case 'mismatch':
        throw new DomainError('rule', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request (another body or URL); use a new key for a new request.');
      case 'in_progress':
        throw new DomainError('conflict', 'IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being handled; retry shortly to get its answer.');
    }
  }

  private async run(next: CallHandler, response: HttpResponse, scope: string, key: string, token: string): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      // Should the delete fail, the pending row goes stale and the next attempt takes it over.
      await this.store.release(scope, key, token).catch((failure: unknown) => this.logger.error(`could not release idempotency key: ${String(failure)}`));
      throw error;
    }
    // Nest set the route's status (@HttpCode, or 201 for a POST) before the interceptors ran.
    const first: StoredResponse = { status: response.statusCode, headers: keptHeaders(response), body };
    try {
      await this.store.complete(scope, key, token, first);
    } catch (failure) {
      // The command is recorded: the client must hear so, not a 500 saying nothing was. The key
      // stays pending (repeats get 409) until it goes stale.
      this.logger.error(`could not store the answer for an idempotency key: ${String(failure)}`);
    }
    return body;
  }

  private replay(response: HttpResponse, first: StoredResponse): unknown {
    for (const [name, value] of Object.entries(first.headers)) response.setHeader(name, value);
    response.setHeader('Idempotent-Replayed', 'true');
    response.status(first.status);
    return first.body;
  }
}

/** Documents the header on every POST that has a caller (bearer security), once, as a shared parameter, and the 409 and 422 it can bring. */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  const parameters = {
    ...document.components?.parameters,
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header' as const,
      required: false,
      schema: { type: 'string' as const, minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]+$' },
      description:
        'Makes a retry safe: a repeat with the same key and body returns the first (successful) answer, with `Idempotent-Replayed: true`, and records nothing. ' +
        'The same key with another body → 422 IDEMPOTENCY_KEY_REUSED; while the first is still running → 409 IDEMPOTENCY_KEY_IN_PROGRESS. Errors are not kept. Keys are per caller.',
    },
  };
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => {
      const post = item.post;
      if (!post?.security?.length) return [path, item];
      const responses = {
        '409': { description: 'A request with this Idempotency-Key is still being handled (IDEMPOTENCY_KEY_IN_PROGRESS).' },
        '422': { description: 'This Idempotency-Key was used for a different request (IDEMPOTENCY_KEY_REUSED).' },
        ...post.responses,
      };
      return [path, { ...item, post: { ...post, parameters: [...(post.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }], responses } }];
    }),
  );
  return { ...document, components: { ...document.components, parameters }, paths };
}
