import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runMigrations } from '@app/projections';
import { withClient } from './database';
import type { RestFigure } from './report';

export interface RestMeasurements {
  baseline: RestFigure;
  board: RestFigure;
  report: RestFigure;
}

const UNITS = 30;
const TASKS_PER_UNIT = 10;
const CONNECTIONS = 8;
const ROUNDS = 2;

/** Starts a compiled entry point as its own process (as in production) and waits for its ready line. */
export async function startProcess(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 60_000);
    const look = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${String(code)}: ${output}`)));
  }).finally(() => {
    // Once started, its output (a JSON line per request) is drained and dropped: kept and searched,
    // it would cost this process, which drives the load, more with every request.
    child.stdout?.removeAllListeners('data');
    child.stderr?.removeAllListeners('data');
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function json(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Units `unit-<u>` with signed-for tasks `t-<u>-<t>`, seeded through the api as an office would; the unit users' tokens, by unit. */
export async function seedUnitsAndTasks(base: string, office: string, units: number, tasksPerUnit: number, tag: string): Promise<string[]> {
  const token = async (claims: object): Promise<string> => String((await json(`${base}/auth/dev-token`, { method: 'POST', body: JSON.stringify(claims) })).token);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const dueAt = new Date(Date.now() + 60 * 86_400_000).toISOString();
  const unitTokens: string[] = [];
  for (let u = 0; u < units; u += 1) {
    await json(`${base}/units`, { method: 'POST', headers: auth(office), body: JSON.stringify({ id: `unit-${u}`, name: `单位 ${u}`, kind: 'department' }) });
    const unitToken = await token({ personId: `${tag}-u${u}`, name: `unit ${u}`, unitId: `unit-${u}`, roles: ['unit', 'unit_lead'] });
    unitTokens.push(unitToken);
    for (let t = 0; t < tasksPerUnit; t += 1) {
      await json(`${base}/tasks`, { method: 'POST', headers: auth(office), body: JSON.stringify({ id: `t-${u}-${t}`, title: `任务 ${u}-${t}`, description: tag, source: { kind: 'other' }, leadUnitId: `unit-${u}`, dueAt, reportEveryDays: 7 }) });
      await json(`${base}/tasks/t-${u}-${t}/sign-for`, { method: 'POST', headers: auth(unitToken), body: '{}' });
    }
  }
  return unitTokens;
}

async function measure(options: Parameters<typeof autocannon>[0]): Promise<RestFigure> {
  const result = await autocannon(options);
  return { rps: result.requests.total / (options.duration ?? 10), p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

const better = (a: RestFigure | null, b: RestFigure): RestFigure => (a === null || b.rps > a.rps ? b : a);

/**
 * REST throughput of the unit board and of progress reports, against the baseline in the same
 * run; each server is its own process, autocannon drives it from this one.
 */
export async function restRates(databaseUrl: string, durationS: number, dist: string, log: (line: string) => void): Promise<RestMeasurements> {
  await runMigrations(databaseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-api-'));
  let api: ChildProcess | undefined;
  let baselineServer: ChildProcess | undefined;
  try {
    const apiPort = 39_000 + Math.floor(Math.random() * 1000);
    api = await startProcess(join(dist, 'apps/api/src/main.js'), [], { DATABASE_URL: databaseUrl, PORT: String(apiPort), AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret', DATA_DIR: dataDir, CHECKPOINT_INTERVAL_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '0' }, /Supervision Ledger API on/);
    const base = `http://127.0.0.1:${apiPort}/api/v1`;
    const token = async (claims: object): Promise<string> => String((await json(`${base}/auth/dev-token`, { method: 'POST', body: JSON.stringify(claims) })).token);
    const office = await token({ personId: 'bench-office', name: 'bench', roles: ['admin', 'office', 'office_lead'] });
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    log(`rest: seeding ${UNITS} units with ${TASKS_PER_UNIT} signed-for tasks each through the api`);
    const unitTokens = await seedUnitsAndTasks(base, office, UNITS, TASKS_PER_UNIT, 'bench');
    const head = await json(`${base}/boards/units/unit-0?minPosition=1`, { headers: auth(office) });
    if (!Array.isArray(head.tasks)) throw new Error('the unit board has no tasks');

    const basePort = apiPort + 1;
    baselineServer = await startProcess(join(dist, 'apps/bench/src/baseline-server.js'), [databaseUrl, String(basePort)], {}, /listening/);
    let n = 0;
    const rotate = (): number => n++;
    const runs = {
      baseline: () => measure({ url: `http://127.0.0.1:${basePort}`, connections: CONNECTIONS, duration: durationS, requests: [{ setupRequest: (r) => ({ ...r, path: `/baseline/t-${rotate() % UNITS}-0` }) }] }),
      board: () => measure({ url: `http://127.0.0.1:${apiPort}`, connections: CONNECTIONS, duration: durationS, headers: auth(office), requests: [{ setupRequest: (r) => ({ ...r, path: `/api/v1/boards/units/unit-${rotate() % UNITS}` }) }] }),
      report: () =>
        measure({
          url: `http://127.0.0.1:${apiPort}`,
          connections: CONNECTIONS,
          duration: durationS,
          requests: [
            {
              setupRequest: (r) => {
                const k = rotate();
                const u = k % UNITS;
                return { ...r, method: 'POST', path: `/api/v1/tasks/t-${u}-${Math.floor(k / UNITS) % TASKS_PER_UNIT}/progress-reports`, headers: { ...auth(unitTokens[u] ?? ''), 'content-type': 'application/json' }, body: JSON.stringify({ summary: '进展', percent: 50 }) };
              },
            },
          ],
        }),
    };
    let best: { baseline: RestFigure | null; board: RestFigure | null; report: RestFigure | null } = { baseline: null, board: null, report: null };
    // Each window starts with the read models caught up, so none pays for the previous one's backlog.
    const settle = async (): Promise<void> => {
      const head = await withClient(databaseUrl, async (c) => Number((await c.query<{ p: string | null }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? 0));
      for (let tries = 0; tries < 12; tries += 1) {
        const response = await fetch(`${base}/boards/units/unit-0?minPosition=${head}`, { headers: auth(office) });
        await response.arrayBuffer();
        if (Number(response.headers.get('x-projection-position')) >= head) return;
      }
      throw new Error('the read models did not catch up with the log');
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of ['baseline', 'board', 'report'] as const) {
        await settle();
        const figure = await runs[name]();
        log(`rest ${name} round ${round + 1}: ${Math.round(figure.rps)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${figure.errors} errors`);
        best = { ...best, [name]: better(best[name], figure) };
      }
    }
    if (!best.baseline || !best.board || !best.report) throw new Error('a REST measurement is missing');
    return { baseline: best.baseline, board: best.board, report: best.report };
  } finally {
    await stopProcess(baselineServer);
    await stopProcess(api);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
