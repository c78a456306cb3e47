import type { CliRuntime } from '../cli-runtime';

/**
 * `migrate`: the runtime has already brought the schema up to date before any command runs; this
 * one does nothing else, for deployments where the owner migrates and the api logs in as a member
 * of `supervision_app`, which may not change the schema (docker-compose.yml's `migrate` service).
 */
export async function migrateCommand(rt: CliRuntime): Promise<number> {
  const { rows } = await rt.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1');
  console.log(JSON.stringify({ schema: 'up to date', latest: rows[0]?.name ?? null }));
  return 0;
}
