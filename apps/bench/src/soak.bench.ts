import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runMigrations } from '@app/projections';
import { withClient } from './database';
import { json, seedUnitsAndTasks, startProcess, stopProcess } from './rest.bench';
import { rssLevels, SOAK_MIX, soakVerdict, type SoakKind, type SoakReport } from './soak.report';

const UNITS = 30;
/** Enough tasks that the office's escalations (four rungs each) never run out: 6,000 rungs, for up to about 1,500 req/s over the warm-up and the window. */
const TASKS_PER_UNIT = 50;
const CONNECTIONS = 8;
/**
 * Long enough for V8 to size its heap for this load before the window's first reading: at about
 * 900 req/s the api's RSS climbs for the first 40 s or so, then saw-tooths around a level (a 180 s
 * run: 265–313 MiB with no trend after the first 40 s).
 */
const WARMUP_S = 60;
const SAMPLE_MS = 5000;

/** Resident memory of a process in bytes (Linux), from /proc/<pid>/status. */
export function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  const kb = Number(line?.match(/(\d+)\s*kB/)?.[1]);
  if (!Number.isFinite(kb) || kb <= 0) throw new Error(`no VmRSS for process ${pid}`);
  return kb * 1024;
}

const ESCALATION_LEVELS = ['blue', 'yellow', 'red', 'listed'] as const;

/**
 * Sustained mixed traffic against the api as its own process (PROJECTOR inline, as `npm start`
 * runs it): the office reads its board and escalates, units read their boards and tasks and
 * report progress, in the shares of SOAK_MIX, for `seconds` after a warm-up. Reports latency,
 * errors per kind, and the api's resident memory at the start of the window and at its end.
 */
export async function soak(databaseUrl: string, seconds: number, dist: string, log: (line: string) => void): Promise<SoakReport> {
  await runMigrations(databaseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-soak-api-'));
  let api: ChildProcess | undefined;
  try {
    const port = 39_000 + Math.floor(Math.random() * 1000);
    api = await startProcess(join(dist, 'apps/api/src/main.js'), [], { DATABASE_URL: databaseUrl, PORT: String(port), AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0' }, /Supervision Ledger API on/);
    const pid = api.pid;
    if (pid === undefined) throw new Error('the api process has no pid');
    const base = `http://127.0.0.1:${port}/api/v1`;
    const token = async (claims: object): Promise<string> => String((await json(`${base}/auth/dev-token`, { method: 'POST', body: JSON.stringify(claims) })).token);
    const office = await token({ personId: 'soak-office', name: 'soak', roles: ['office', 'office_lead', 'admin'] });
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    log(`soak: seeding ${UNITS} units with ${TASKS_PER_UNIT} signed-for tasks each through the api`);
    const unitTokens = await seedUnitsAndTasks(base, office, UNITS, TASKS_PER_UNIT, 'soak');

    const tasks = UNITS * TASKS_PER_UNIT;
    const counters: Record<SoakKind, number> = { officeBoard: 0, unitBoard: 0, taskRead: 0, progressReport: 0, escalation: 0 };
    const answered: Record<SoakKind, number> = { ...counters };
    const failed: Record<SoakKind, number> = { ...counters };
    const firstFailure: Partial<Record<SoakKind, string>> = {};
    const next = (kind: SoakKind): number => counters[kind]++;
    const unitHeaders = (u: number) => ({ ...auth(unitTokens[u] ?? ''), 'content-type': 'application/json' });
    const build: Record<SoakKind, (r: autocannon.Request) => autocannon.Request> = {
      officeBoard: (r) => ({ ...r, method: 'GET', path: '/api/v1/boards/office', headers: auth(office) }),
      unitBoard: (r) => {
        const u = next('unitBoard') % UNITS;
        return { ...r, method: 'GET', path: `/api/v1/boards/units/unit-${u}`, headers: auth(unitTokens[u] ?? '') };
      },
      taskRead: (r) => {
        const k = next('taskRead');
        const u = k % UNITS;
        return { ...r, method: 'GET', path: `/api/v1/tasks/t-${u}-${Math.floor(k / UNITS) % TASKS_PER_UNIT}`, headers: auth(unitTokens[u] ?? '') };
      },
      progressReport: (r) => {
        const k = next('progressReport');
        const u = k % UNITS;
        return { ...r, method: 'POST', path: `/api/v1/tasks/t-${u}-${Math.floor(k / UNITS) % TASKS_PER_UNIT}/progress-reports`, headers: unitHeaders(u), body: JSON.stringify({ summary: '按计划推进，已约谈信访人', percent: 50 }) };
      },
      // Each task climbs the ladder once, a rung per pass over all tasks: never refused as not higher.
      escalation: (r) => {
        const k = next('escalation');
        const level = ESCALATION_LEVELS[Math.floor(k / tasks) % ESCALATION_LEVELS.length] ?? 'blue';
        const t = k % tasks;
        return { ...r, method: 'POST', path: `/api/v1/tasks/t-${t % UNITS}-${Math.floor(t / UNITS)}/escalations`, headers: { ...auth(office), 'content-type': 'application/json' }, body: JSON.stringify({ level, reason: '进展滞后，升级督办' }) };
      },
    };
    const requests = SOAK_MIX.map((kind) => ({
      setupRequest: build[kind],
      onResponse: (status: number, body: string) => {
        answered[kind] += 1;
        if (status >= 200 && status < 300) return;
        failed[kind] += 1;
        firstFailure[kind] ??= `${status} ${body.slice(0, 200)}`;
      },
    }));
    const run = (duration: number) => autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration, requests });

    log(`soak: ${WARMUP_S} s warm-up with the same mix`);
    await run(WARMUP_S);
    for (const kind of Object.keys(answered) as SoakKind[]) {
      if (failed[kind] > 0) log(`soak: warm-up: ${kind} failed ${failed[kind]} times; first: ${firstFailure[kind] ?? '?'}`);
      answered[kind] = 0;
      failed[kind] = 0;
      delete firstFailure[kind];
    }
    const samples: number[] = [residentBytes(pid)];
    const sampler = setInterval(() => {
      try {
        samples.push(residentBytes(pid));
      } catch {
        // the process is gone: the window's end says so
      }
    }, SAMPLE_MS);
    log(`soak: ${seconds} s of mixed traffic, ${CONNECTIONS} connections; api RSS now ${((samples[0] ?? 0) / 2 ** 20).toFixed(1)} MiB`);
    // autocannon's result is a thenable without `finally`.
    let result: autocannon.Result;
    try {
      result = await run(seconds);
    } finally {
      clearInterval(sampler);
    }
    samples.push(residentBytes(pid));
    log(`soak: api RSS every ${SAMPLE_MS / 1000} s (MiB): ${samples.map((b) => (b / 2 ** 20).toFixed(0)).join(' ')}`);

    // The read models must still keep up: how long until they include everything written.
    const caughtUp = performance.now();
    const head = await withClient(databaseUrl, async (c) => Number((await c.query<{ p: string | null }>('SELECT max(position) AS p FROM events')).rows[0]?.p ?? 0));
    const settled = await fetch(`${base}/boards/office?minPosition=${head}`, { headers: auth(office) });
    await settled.arrayBuffer();
    const projectionCaughtUp = Number(settled.headers.get('x-projection-position')) >= head;

    for (const [kind, reason] of Object.entries(firstFailure)) log(`soak: ${kind} failed ${failed[kind as SoakKind]} times; first: ${reason}`);
    return soakVerdict({
      seconds,
      requests: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
      answered,
      failed,
      ...rssLevels(samples),
      catchUpMs: projectionCaughtUp ? performance.now() - caughtUp : null,
    });
  } finally {
    await stopProcess(api);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
