import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '@app/config';
import { openDatabase, takeOverSignals } from '@app/database';
import { runMigrations } from '@app/projections';
import { createApp } from './create-app';
import { TokenService } from './http/auth/token.service';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (database.embedded) console.log(`Embedded PostgreSQL running on 127.0.0.1:${database.embedded.port} (data in ${config.dataDir})`);
  const app = await (async () => {
    try {
      const applied = await runMigrations(database.url);
      if (applied.length) console.log(`Migrations applied: ${applied.join(', ')}`);
      return await createApp({ config, databaseUrl: database.url });
    } catch (error) {
      await database.close();
      throw error;
    }
  })();
  takeOverSignals(async (signal) => {
    console.log(`${signal}: shutting down`);
    await app.close();
    await database.close();
  });
  await app.listen(config.port, '0.0.0.0');
  const url = await app.getUrl();
  console.log(`Supervision Ledger API on ${url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost')} — Swagger UI at /docs`);
  if (config.authMode === 'dev') {
    // A ready token for trying the API in Swagger UI ("Authorize"); POST /api/v1/auth/dev-token makes others.
    const token = await app.get(TokenService).issue({ personId: 'dev-office', name: '联席办 (dev)', unitId: null, roles: ['admin', 'office', 'office_lead'] });
    console.log(`Dev token (admin, office, office_lead; 12 h):\n${token}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
