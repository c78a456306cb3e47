import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiModule, type ApiRuntime } from './api.module';
import { documentIdempotencyKey } from './http/idempotency.interceptor';

/** The HTTP application, used by main.ts and by e2e tests alike. */
export async function createApp(runtime: ApiRuntime, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(runtime), { logger: options.logger ?? ['error', 'warn', 'log'], bodyParser: true });
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
  SwaggerModule.setup('docs', app, documentIdempotencyKey(document), { jsonDocumentUrl: 'docs-json' });
  return app;
}
