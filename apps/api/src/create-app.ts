import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createJsonLogger, PinoLoggerService, type Logger } from '@app/observability';
import { ApiModule, type ApiRuntime } from './api.module';
import { documentIdempotencyKey } from './http/idempotency.interceptor';
import { documentJsonBodies, hardenHttp } from './http/hardening';
import { documentRateLimit } from './http/rate-limit.guard';
import { requestIds } from './http/request-ids';
import { observeRequests } from './http/request-log';
import { ApiMetrics } from './observability/api-metrics';

/**
 * The HTTP application, used by main.ts and by e2e tests alike. Logs are pino JSON lines on stdout
 * at LOG_LEVEL, Nest's own included; `logger` gives another pino logger (a test capturing lines),
 * or `false` for none.
 */
export async function createApp(runtime: ApiRuntime, options: { logger?: false | Logger } = {}): Promise<INestApplication> {
  const logger = options.logger === false ? null : (options.logger ?? createJsonLogger({ app: 'api', level: runtime.config.logLevel }));
  const app = await NestFactory.create(ApiModule.forRoot(runtime), { logger: logger ? new PinoLoggerService(logger) : false, bodyParser: true });
  // Before any route, guard or filter: each request's ids are decided once, and every answer is timed and logged.
  app.use(requestIds);
  app.use(observeRequests(app.get(ApiMetrics), logger));
  hardenHttp(app);
  // Express would hash every body for a weak ETag; ours are versions, set where API.md says.
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void; disable(name: string): void };
  express.set('etag', false);
  express.disable('x-powered-by');
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Supervision Ledger (督办台账)')
      .setDescription('Event-sourced supervision of joint-meeting tasks: REST contract v1. Errors are RFC 9457 application/problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, documentJsonBodies(documentRateLimit(documentIdempotencyKey(document))), { jsonDocumentUrl: 'docs-json' });
  return app;
}
