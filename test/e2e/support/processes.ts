import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import type { EventStore } from '@app/event-store';
import { PROJECTIONS, rebuildProjection } from '@app/projections';

const root = resolve(__dirname, '../../..');

/** The built output, which the processes below run (the same program `npm start` runs). */
export function buildOnce(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
}

/** A real api or projector process, with what it printed kept for failure messages. */
export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code or signal once it has ended. */
  ended: Promise<string>;
}

export function startProcess(app: 'api' | 'projector', env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [join(root, `dist/apps/${app}/src/main.js`)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ended = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? String(code))));
  return { child, output: () => text, ended };
}

/** Waits until `check` holds, polling; fails with `what` and the processes' output after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, processes: RunningProcess[] = []): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${processes.map((p) => p.output()).join('\n---\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** What every process of one test shares: the database, a ledger key, no periodic checkpoints. */
export function processEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_MODE: 'dev',
    AUTH_JWT_SECRET: 'e2e-process-secret-e2e-process-secret',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sl-proc-')),
    CHECKPOINT_INTERVAL_SECONDS: '0',
    // These tests are about processes, not about callers' manners: no request rate limit.
    RATE_LIMIT_PER_MINUTE: '0',
  };
}

/** Projections owned per projector process (the advisory locks of ProjectionOwnership), keyed by backend pid. */
export async function ownersByPid(pool: Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number; n: string }>(
    `SELECT pid, count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY pid`,
    [0x534c_5052],
  );
  return new Map(rows.map((r) => [r.pid, Number(r.n)]));
}

/** Whether every projection's checkpoint has reached `position`. */
export async function projectionsAt(pool: Pool, position: number): Promise<boolean> {
  const { rows } = await pool.query<{ low: string | null; n: string }>('SELECT min(position) AS low, count(*) AS n FROM projection_checkpoints WHERE name = ANY($1)', [PROJECTIONS.map((p) => p.name)]);
  return Number(rows[0]?.n) === PROJECTIONS.length && Number(rows[0]?.low) >= position;
}

/** Every row of every read model, in a stable order. */
export async function readModels(pool: Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of PROJECTIONS.flatMap((p) => [...p.tables])) {
    out[table] = (await pool.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM ${table} x ORDER BY 1`)).rows.map((row) => row.r);
  }
  return out;
}

/** Rebuilds every read model from position 0 (the CLI's `rebuild --all`) and returns the rebuilt rows. */
export async function rebuiltReadModels(pool: Pool, store: EventStore): Promise<Record<string, string[]>> {
  for (const projection of PROJECTIONS) await rebuildProjection(pool, store, projection);
  return readModels(pool);
}
