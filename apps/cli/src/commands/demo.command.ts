import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { freePort } from '@app/database';
import { UsageError } from '../cli-args';
import type { CliRuntime } from '../cli-runtime';
import { DemoClient } from '../demo/demo-client';
import { DEMO_TOKEN_PEOPLE, DemoConflictError, runDemoScenario, type DemoSummary, type DemoTokens } from '../demo/demo-scenario';

const OUTPUT_TAIL = 20_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RunningApi {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The api the demo talks to: the very program `npm start` runs (dist/apps/api/src/main.js), started
 * as a child on a free port with the user's configuration, so every step passes the same
 * validation, roles, rules and projections a user meets. It runs on the real clock (CLOCK_MODE
 * is forced to system: recorded times must be true) with the read models inline. Why a child
 * process rather than the api module in-process: apps never import each other (dependency-cruiser).
 * The embedded PostgreSQL is the one `withRuntime` opened in DATA_DIR, which the child joins, as
 * it would join the server of a running `npm start`.
 */
async function startApi(config: AppConfig): Promise<RunningApi> {
  const main = resolve(__dirname, '../../../api/src/main.js');
  if (!existsSync(main)) throw new Error(`The built api is missing (${main}): run \`npm run demo\`, which builds it first.`);
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: config.dataDir, PORT: String(port), CLOCK_MODE: 'system', PROJECTOR: 'inline' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((done) => {
    child.once('exit', (code) => {
      exitCode = code;
      done();
    });
    child.once('error', (error) => {
      keep(Buffer.from(String(error)));
      exitCode = null;
      done();
    });
  });
  const stop = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  };
  const root = `http://127.0.0.1:${port}`;
  const until = Date.now() + 90_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`The api stopped while starting (exit code ${String(exitCode)}):\n${output}`);
    try {
      if ((await fetch(`${root}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`The api did not start within 90 s:\n${output}`);
    }
    await sleep(200);
  }
  return { baseUrl: `${root}/api/v1`, output: () => output, stop };
}

/** Whether something answers as our api on the port `npm start` uses (then the user need not start it). */
async function apiRunningOn(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

const percent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

function formatSummary(s: DemoSummary, swagger: string, running: boolean): string {
  const upper = s.tasks.filter((t) => t.source?.kind === 'upper_level');
  const fromMeeting = s.tasks.filter((t) => t.source?.kind === 'meeting_decision');
  const closed = (list: typeof s.tasks): number => list.filter((t) => t.status === 'closed').length;
  const posts = s.units.reduce((n, u) => n + u.posts.length, 0);
  const dissents = s.meeting.decisions.reduce((n, d) => n + d.dissents.length, 0);
  const lit = (rag: string): string => s.tasks.filter((t) => t.rag === rag).map((t) => t.id).join(', ') || 'none';
  const names = new Map(s.units.map((u) => [u.id, u.name]));
  const targets = s.controlTargets.map((t) => `${names.get(t.unitId) ?? t.unitId} ${t.used}/${t.limit} (${percent(t.ratio)})`).join(', ') || 'none';
  const window = s.sensitivePeriod;
  const onFirstDay = (status: string): string => window?.units.filter((u) => u.days[0]?.status === status).map((u) => names.get(u.unitId) ?? u.unitId).join(' ') || 'none';
  const lines = [
    '',
    s.outcome === 'loaded' ? 'Demo loaded (DOMAIN.md §9), every step a real command over the api:' : 'Demo data in this database:',
    `  member units   ${s.units.length}, ${posts} people in post`,
    `  meeting        ${s.meeting.id} ${s.meeting.title}: ${s.meeting.decisions.length} decisions, ${dissents} dissents on record`,
    `  tasks          ${s.tasks.length}: ${upper.length} handed down by the upper level (${closed(upper)} closed, ${upper.length - closed(upper)} open), ${fromMeeting.length} from the meeting (${closed(fromMeeting)} closed)`,
    `  lights         yellow: ${lit('yellow')}; red: ${lit('red')}`,
    `  sign-for late  ${s.signForOverdue.join(', ') || 'none'}`,
    `  非访 targets   ${targets}`,
    window === null
      ? '  daily reports  none'
      : `  daily reports  ${window.name} ${window.from}–${window.to}, cut-off ${window.cutoff}; ${window.from}: filed ${onFirstDay('filed')}; late ${onFirstDay('late')}; missed ${onFirstDay('missed')}`,
  ];
  if (!s.settled) lines.push('  (the deadline scheduler had not recorded every due deadline yet; the api records it on its next run, every 15 s)');
  lines.push('', 'Office board (GET /api/v1/boards/office):', `  ${'unit'.padEnd(12)} ${'open'.padStart(4)} ${'overdue'.padStart(7)} ${'on time'.padStart(7)} ${'sent back'.padStart(9)} ${'missed'.padStart(6)} ${'escalated'.padStart(9)}`);
  for (const r of s.board) {
    lines.push(`  ${r.unitId.padEnd(12)} ${String(r.open).padStart(4)} ${String(r.overdue).padStart(7)} ${percent(r.onTimeRate).padStart(7)} ${String(r.sentBack).padStart(9)} ${String(r.missedReports).padStart(6)} ${String(r.escalations).padStart(9)}  ${names.get(r.unitId) ?? r.name}`);
  }
  lines.push(
    '',
    running ? `The api is running: Swagger UI at ${swagger}` : `Start the api with \`npm start\` (same DATA_DIR / DATABASE_URL), then open Swagger UI at ${swagger}`,
    'Dev tokens (valid 12 h; `npm run demo` again prints fresh ones). In Swagger UI press Authorize and paste one:',
  );
  for (const key of Object.keys(DEMO_TOKEN_PEOPLE) as (keyof DemoTokens)[]) {
    const who = DEMO_TOKEN_PEOPLE[key];
    lines.push(`  ${who.roles.join(', ')}: ${who.who}`, `    ${s.tokens[key]}`);
  }
  return lines.join('\n');
}

/**
 * `demo`: loads the scenario of DOMAIN.md §9 into the database `npm start` uses; a no-op (exit 0)
 * when it is there already. Demo events can never be deleted from the ledger, so it runs only
 * where dev tokens are on (AUTH_MODE=dev, the embedded default): never by accident on a real
 * deployment's database.
 */
export async function demoCommand(rt: CliRuntime, args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`demo takes no arguments (got: ${args.join(' ')})`);
  if (rt.config.authMode !== 'dev') {
    throw new UsageError('The demo records events that can never be deleted, so it runs only with AUTH_MODE=dev (the default with the embedded PostgreSQL). For an external database say so explicitly: AUTH_MODE=dev DATABASE_URL=… npm run demo');
  }
  const api = await startApi(rt.config);
  let summary: DemoSummary;
  try {
    summary = await runDemoScenario(new DemoClient(api.baseUrl), { dueSoonDays: rt.config.dueSoonDays, log: (line) => console.log(line) });
  } catch (error) {
    if (error instanceof DemoConflictError) {
      console.error(error.message);
      return 1;
    }
    console.error(`The demo stopped. The api's last output:\n${api.output().split('\n').slice(-40).join('\n')}`);
    throw error;
  } finally {
    await api.stop();
  }
  console.log(formatSummary(summary, `http://localhost:${rt.config.port}/docs`, await apiRunningOn(rt.config.port)));
  return 0;
}
