import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { ConfigError, loadConfig } from '@app/config';
import { openDatabase, takeOverSignals } from '@app/database';
import { createJsonLogger, PinoLoggerService } from '@app/observability';
import { runMigrations } from '@app/projections';
import { startHealthServer } from './health-server';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { needsAuth: false });
  // JSON lines like the api's, so one collector reads both; Nest's logs (projection errors) included.
  const logger = createJsonLogger({ app: 'projector', level: config.logLevel });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await runMigrations(database.url);
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ config, databaseUrl: database.url }), { logger: new PinoLoggerService(logger) });
  // Its own single connection, so that projection batches holding the others never fail the check.
  const probe = config.projectorHealthPort === null ? null : new Pool({ connectionString: database.url, max: 1 });
  let health: Awaited<ReturnType<typeof startHealthServer>> | null = null;
  takeOverSignals(async (signal) => {
    logger.info({ signal }, 'projector shutting down');
    await health?.close();
    await probe?.end();
    await app.close();
    await database.close();
  });
  await app.init();
  logger.info({ checkpointIntervalSeconds: config.checkpointIntervalSeconds }, 'projector running');
  if (probe && config.projectorHealthPort !== null) {
    health = await startHealthServer(config.projectorHealthPort, async () => void (await probe.query('SELECT 1')));
    logger.info({ port: health.port }, 'projector health at /health/live and /health/ready');
  }
}

main().catch((error: unknown) => {
  // Before the config is read there is no logger: a plain message, and the exit code says which failure.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
