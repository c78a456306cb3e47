import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@app/config';
import { openDatabase, takeOverSignals } from '@app/database';
import { runMigrations } from '@app/projections';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { needsAuth: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await runMigrations(database.url);
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ config, databaseUrl: database.url }));
  takeOverSignals(async (signal) => {
    console.log(`${signal}: projector shutting down`);
    await app.close();
    await database.close();
  });
  await app.init();
  console.log('Projector running (checkpoints every %ds)', config.checkpointIntervalSeconds);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
