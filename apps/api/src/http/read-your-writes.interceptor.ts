import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ProjectionRunner } from '@app/projections';
import { DomainError } from '@app/shared-kernel';

const WAIT_MS = 5000;

interface ReadRequest {
  method: string;
  query?: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * API.md read-your-writes: a GET with `minPosition` (query) or `X-Min-Position` waits, at most 5 s,
 * until the read models have applied the log that far; every GET says how far they had.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly runner: ProjectionRunner) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<ReadRequest>();
    if (request.method !== 'GET') return next.handle();
    const header = request.headers['x-min-position'];
    const raw = request.query?.minPosition ?? (Array.isArray(header) ? header[0] : header);
    if (raw !== undefined) {
      if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
        throw new DomainError('invalid', 'INVALID_MIN_POSITION', 'minPosition must be an event position (a whole number).', [{ field: 'minPosition', message: 'a whole number' }]);
      }
      await this.runner.waitFor(Number(raw), WAIT_MS);
    }
    http.getResponse<HeaderSink>().setHeader('X-Projection-Position', String(this.runner.position));
    return next.handle();
  }
}
