import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { ConcurrencyError } from '@app/event-store';
import { DomainError, type ErrorKind } from '@app/shared-kernel';
import { ProblemDetailsFilter, statusOf } from './problem-details.filter';

/** Runs the filter as Nest would and returns what it sent. */
function sent(error: unknown): { status: number; type: string; body: Record<string, unknown> } {
  const out = { status: 0, type: '', body: {} as Record<string, unknown> };
  const response = {
    status(code: number) {
      out.status = code;
      return response;
    },
    type(contentType: string) {
      out.type = contentType;
      return response;
    },
    send(body: string) {
      out.body = JSON.parse(body) as Record<string, unknown>;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) };
  new ProblemDetailsFilter().catch(error, host as never);
  return out;
}

describe('problem details', () => {
  it('maps every error kind to its status', () => {
    const kinds: Record<ErrorKind, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, precondition_failed: 412, rule: 422 };
    for (const [kind, status] of Object.entries(kinds)) expect(statusOf(kind as ErrorKind)).toBe(status);
  });

  it('sends a domain refusal with its code, message and field errors as application/problem+json', () => {
    const out = sent(new DomainError('rule', 'EXTENSION_AFTER_DEADLINE', 'An extension must be asked before the deadline.', [{ field: 'proposedDueAt', message: 'too late' }]));
    expect(out).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: { type: 'urn:supervision-ledger:problem:extension-after-deadline', title: 'Unprocessable Content', status: 422, code: 'EXTENSION_AFTER_DEADLINE', detail: 'An extension must be asked before the deadline.', errors: [{ field: 'proposedDueAt', message: 'too late' }] },
    });
  });

  it('makes an unresolved concurrency conflict a 409', () => {
    expect(sent(new ConcurrencyError('s-1', 3, 4)).body).toMatchObject({ status: 409, code: 'CONCURRENT_CHANGE' });
  });

  it('recognises the body parser’s errors, bare or wrapped by Nest', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected end of JSON input'), { type: 'entity.parse.failed', status: 400 });
    expect(sent(new BadRequestException('x', { cause: syntax })).body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(sent(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, expose: true })).body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(sent(new NotFoundException('Cannot GET /x')).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('never shows the internals of an unexpected error, but logs them for the operators', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const out = sent(new Error('password=hunter2 at db.ts:12'));
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('hunter2'));
    logged.mockRestore();
    expect(out.status).toBe(500);
    expect(JSON.stringify(out.body)).not.toContain('hunter2');
    expect(out.body).toMatchObject({ code: 'INTERNAL' });
  });
});
