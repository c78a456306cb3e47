import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Contender, ContenderName, LogContender } from './contender';
import { join } from 'node:path';
import { rebuildBoardRate } from './board.bench';
import { restRates } from './rest.bench';
import { soak } from './soak.bench';
import { soakLines } from './soak.report';
import { auditReadTimes } from './audit.bench';
import { createDatabase, dropDatabase, openServer, quiesce, type BenchServer } from './database';
import { EmmettContender } from './emmett.contender';
import { OursContender } from './ours.contender';
import { RawContender } from './raw.contender';
import { buildReport, formatRate, formatReportLine, verdictLines, type Measurements, type Mode, type Rate } from './report';
import { PayloadPool, runWindow, StreamCursor } from './workload';

interface ModeConfig {
  warmupMs: number;
  windowMs: number;
  /** Events in the log for read_all and the "filled" half of growth. */
  logEvents: number;
  /** Tasks (10 events each) in the log the board is rebuilt from. */
  boardTasks: number;
  restSeconds: number;
}

/** Issue 4: the audit read of a busy task. */
const AUDIT_TASK_EVENTS = 1000;
const MODES: Record<Mode, ModeConfig> = {
  quick: { warmupMs: 1000, windowMs: 4500, logEvents: 200_000, boardTasks: 5_000, restSeconds: 5 },
  full: { warmupMs: 3000, windowMs: 15_000, logEvents: 1_000_000, boardTasks: 20_000, restSeconds: 15 },
};
const WRITERS_1X8 = 8;
/** Events per stream before a 1x8 writer moves on to a new one (a busy task's lifetime). */
const STREAM_LENGTH_1X8 = 50;
const BATCH_100X1 = 100;
const STREAM_LENGTH_100X1 = 1000;
const PAGE_SIZE = 1000;
const READ_PASSES = 2;
const APPEND_ROUNDS = 2;

const started = performance.now();
let problems = 0;
/** The server's maintenance database and the run's databases, quiesced before every window. */
let serverUrl = '';
const databaseUrls: string[] = [];

function say(line: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

/** Other work on the machine skews absolute numbers; ratios from one run suffer less. */
function loadLine(): string {
  return `load average ${loadavg()[0]?.toFixed(2) ?? '?'} on ${availableParallelism()} cores`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs one measurement; a failure is reported and yields null so the other measurements go on. */
async function attempt<T>(label: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    problems += 1;
    say(`${label}: FAILED (${describe(error)})`);
    return null;
  }
}

function parseMode(args: string[]): Mode | null {
  if (args.length === 0) return 'full';
  if (args.length === 1 && args[0] === '--quick') return 'quick';
  return null;
}

/** `workers` closed-loop writers, each on its own streams, `batch` events per append. */
async function appendRate(label: string, contender: Contender, config: ModeConfig, payloads: PayloadPool, workers: number, batch: number, streamLength: number): Promise<Rate> {
  const cursors = Array.from({ length: workers }, () => new StreamCursor(streamLength));
  await quiesce(serverUrl, databaseUrls);
  globalThis.gc?.();
  const result = await runWindow({
    workers,
    warmupMs: config.warmupMs,
    windowMs: config.windowMs,
    op: async (worker) => {
      const cursor = cursors[worker];
      if (!cursor) throw new Error(`no cursor for writer ${worker}`);
      try {
        if (batch === 1) await contender.appendOne(worker, cursor, payloads.event());
        else await contender.appendMany(worker, cursor, payloads.events(batch));
      } catch (error) {
        cursor.roll(); // its version is unknown now; go on with a fresh stream
        throw error;
      }
      cursor.advance(batch);
      return batch;
    },
  });
  say(`${label} ${contender.name}: ${formatRate(result.rate)} (${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(2)} s; bench process ${Math.round(result.clientCores * 100)}% CPU)`);
  if (result.errors > 0) {
    problems += 1;
    say(`  ${result.errors} failed appends; first: ${result.firstError ?? '?'}`);
  }
  return result.events > 0 ? result.rate : null;
}

async function fillLog(contender: LogContender, total: number, payloads: PayloadPool): Promise<void> {
  const t0 = performance.now();
  const start = await contender.count();
  const step = Math.max(1, Math.round((total - start) / 4));
  let next = step;
  await contender.fill(total, payloads, (done) => {
    if (done < next && start + done < total) return;
    next += step;
    say(`  ${contender.name}: ${(start + done).toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`);
  });
  const seconds = (performance.now() - t0) / 1000;
  say(`filled ${contender.name} to ${total.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (incl. VACUUM ANALYZE)`);
}

async function readRate(contender: LogContender, expected: number): Promise<Rate> {
  globalThis.gc?.();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const read = await contender.readAllPages(PAGE_SIZE);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cores = (cpu.user + cpu.system) / 1e6 / seconds;
  say(`read_all ${contender.name}: ${formatRate(read / seconds)} (${read.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s; bench process ${Math.round(cores * 100)}% CPU)`);
  if (read !== expected) {
    problems += 1;
    say(`  expected ${expected.toLocaleString('en-US')} events, read ${read.toLocaleString('en-US')}`);
  }
  return read / seconds;
}

/** How fast the harness alone makes events: the ceiling of what it can drive. */
function harnessRate(make: () => unknown, perCall: number): number {
  const calls = Math.ceil(100_000 / perCall);
  const t0 = performance.now();
  for (let i = 0; i < calls; i += 1) make();
  return (calls * perCall) / ((performance.now() - t0) / 1000);
}

function best(rates: (Rate | null)[]): Rate {
  const usable = rates.filter((r): r is number => r !== null);
  return usable.length ? Math.max(...usable) : null;
}

/** Each round measures every contender once, in turn; a contender's best round is its figure. */
async function bestOfRounds(contenders: Contender[], measure: (c: Contender) => Promise<Rate>): Promise<Record<ContenderName, Rate>> {
  const rates = new Map<Contender, Rate[]>(contenders.map((c) => [c, []]));
  for (let round = 0; round < APPEND_ROUNDS; round += 1) {
    for (const c of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      rates.get(c)?.push(await attempt(`${c.name} round ${round + 1}`, () => measure(c)));
    }
  }
  return { ours: null, raw: null, emmett: null, ...Object.fromEntries(contenders.map((c) => [c.name, best(rates.get(c) ?? [])])) };
}

async function run(server: BenchServer, mode: Mode, config: ModeConfig): Promise<Measurements> {
  const m: Measurements = {
    mode,
    append1x8: { ours: null, raw: null, emmett: null },
    append100x1: { ours: null, raw: null, emmett: null },
    readAll: { ours: null, raw: null },
    growth: { empty: null, filled: null, filledEvents: 0 },
    rebuildBoard: null,
    rest: null,
    audit: null,
  };
  const payloads = new PayloadPool();
  const sizes = payloads.averageBytes();
  say(`payloads: data ≈ ${sizes.data} B, metadata ≈ ${sizes.metadata} B of JSON on average`);
  say(`harness alone (payload and event id, no database): ${formatRate(harnessRate(() => payloads.event(), 1))} one at a time, ${formatRate(harnessRate(() => payloads.events(BATCH_100X1), BATCH_100X1))} ${BATCH_100X1} at a time`);

  const suffix = `sl_bench_${Date.now().toString(36)}`;
  const databases: string[] = [];
  const database = async (name: string): Promise<string> => {
    databases.push(`${suffix}_${name}`);
    const url = await createDatabase(server.url, `${suffix}_${name}`);
    databaseUrls.push(url);
    return url;
  };
  const raw = new RawContender();
  const emmett = new EmmettContender();
  const ours = new OursContender();
  const oursLog = new OursContender();
  const all: Contender[] = [raw, emmett, ours, oursLog];
  try {
    const ready: Contender[] = [];
    for (const c of [raw, emmett, ours]) {
      if (await attempt(`setup ${c.name}`, async () => c.setup(await database(c.name)).then(() => true))) ready.push(c);
    }
    // Rounds alternate the contenders, so that none always runs after the same neighbour (its
    // autovacuum, its checkpoint) and each gets the same chances; the best round counts.
    say(`append_1x8: ${WRITERS_1X8} writers, one event per append, ${(config.windowMs / 1000).toFixed(1)} s after ${(config.warmupMs / 1000).toFixed(1)} s warm-up; best of ${APPEND_ROUNDS} alternating rounds`);
    m.append1x8 = await bestOfRounds(ready, (c) => appendRate('append_1x8', c, config, payloads, WRITERS_1X8, 1, STREAM_LENGTH_1X8));
    say(`append_100x1: one writer, ${BATCH_100X1} events per append; best of ${APPEND_ROUNDS} alternating rounds`);
    m.append100x1 = await bestOfRounds(ready, (c) => appendRate('append_100x1', c, config, payloads, 1, BATCH_100X1, STREAM_LENGTH_100X1));
    await emmett.teardown();
    await ours.teardown();

    say(`growth: ours, 1x8 on an empty store, then holding ${config.logEvents.toLocaleString('en-US')} events${mode === 'quick' ? ' (quick mode; full mode uses 1,000,000)' : ''}`);
    const logReady = await attempt('setup ours (log)', async () => oursLog.setup(await database('ours_log')).then(() => true));
    if (logReady) {
      m.growth.empty = await attempt('growth empty', () => appendRate('growth empty', oursLog, config, payloads, WRITERS_1X8, 1, STREAM_LENGTH_1X8));
      await attempt('fill ours', () => fillLog(oursLog, config.logEvents, payloads));
      m.growth.filledEvents = (await attempt('count ours', () => oursLog.count())) ?? 0;
      m.growth.filled = await attempt('growth filled', () => appendRate(`growth filled (${m.growth.filledEvents.toLocaleString('en-US')})`, oursLog, config, payloads, WRITERS_1X8, 1, STREAM_LENGTH_1X8));
    }

    // Both logs are brought to the same size (the raw table also holds what the append rounds wrote).
    const total = logReady && ready.includes(raw) ? Math.max((await attempt('count ours', () => oursLog.count())) ?? 0, (await attempt('count raw', () => raw.count())) ?? 0) : 0;
    if (total > 0) {
      say(`read_all: whole log from position 0 in pages of ${PAGE_SIZE}, ${total.toLocaleString('en-US')} events each; best of ${READ_PASSES} alternating passes`);
      await attempt('fill ours', () => fillLog(oursLog, total, payloads));
      await attempt('fill raw', () => fillLog(raw, total, payloads));
      const passes: Record<'raw' | 'ours', Rate[]> = { raw: [], ours: [] };
      for (let pass = 0; pass < READ_PASSES; pass += 1) {
        passes.raw.push(await attempt('read_all raw', () => readRate(raw, total)));
        passes.ours.push(await attempt('read_all ours', () => readRate(oursLog, total)));
      }
      m.readAll = { raw: best(passes.raw), ours: best(passes.ours) };
    } else {
      say('read_all: skipped (no log to read)');
    }
    say(`rebuild_board: the task/board read model from position 0 over ${config.boardTasks.toLocaleString('en-US')} tasks of 10 events each`);
    m.rebuildBoard = await attempt('rebuild_board', async () => rebuildBoardRate(await database('board'), config.boardTasks));
    say(`rest: GET /boards/units/{id} and POST /tasks/{id}/progress-reports against a bare NestJS endpoint doing one query, ${config.restSeconds} s each, best of 2 alternating rounds`);
    say('audit: one task of 1,000 events: its timeline with every chain checked, against one SELECT of its rows; and its state as of mid-history (medians of 15)');
    m.audit = await attempt('audit', async () => {
      const t = await auditReadTimes(await database('audit'), AUDIT_TASK_EVENTS);
      say(`audit: timeline + verification ${t.audit_ms.toFixed(1)} ms, SELECT ${t.select_ms.toFixed(1)} ms, state as of ${t.state_as_of_ms.toFixed(1)} ms`);
      return { events: AUDIT_TASK_EVENTS, auditMs: t.audit_ms, selectMs: t.select_ms, stateAsOfMs: t.state_as_of_ms };
    });
    m.rest = await attempt('rest', async () => restRates(await database('rest'), config.restSeconds, join(__dirname, '../../..'), say));
  } finally {
    for (const c of all) await attempt(`teardown ${c.name}`, () => c.teardown());
    // An embedded server is thrown away whole; on someone else's server, leave nothing behind.
    if (!server.embedded) for (const name of databases) await attempt(`drop ${name}`, () => dropDatabase(server.url, name));
  }
  return m;
}

/** Issue 6: `--soak`, sustained mixed REST traffic against the api, its latency, errors and memory. */
const SOAK_SECONDS = 60;

async function soakMain(): Promise<void> {
  const external = process.env.BENCH_DATABASE_URL;
  say(`mode soak; PostgreSQL: ${external ? 'BENCH_DATABASE_URL' : 'embedded, started for this run'}; ${loadLine()}`);
  const server = await openServer(external);
  const name = `sl_bench_${Date.now().toString(36)}_soak`;
  let report;
  try {
    report = await soak(await createDatabase(server.url, name), SOAK_SECONDS, join(__dirname, '../../..'), say);
  } finally {
    if (!server.embedded) await attempt(`drop ${name}`, () => dropDatabase(server.url, name));
    await server.close();
  }
  say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; ${loadLine()}`);
  for (const line of soakLines(report)) say(line);
  if (!report.soak.ok) process.exitCode = 1;
  console.log(JSON.stringify(report));
}

async function main(): Promise<void> {
  if (process.argv.slice(2).join(' ') === '--soak') return soakMain();
  const mode = parseMode(process.argv.slice(2));
  if (!mode) {
    console.error('usage: npm run bench [-- --quick | --soak]');
    process.exitCode = 2;
    return;
  }
  const config = MODES[mode];
  const external = process.env.BENCH_DATABASE_URL;
  say(`mode ${mode}; PostgreSQL: ${external ? 'BENCH_DATABASE_URL' : 'embedded, started for this run'}; ${loadLine()}`);
  const server = await openServer(external);
  serverUrl = server.url;
  let measurements: Measurements;
  try {
    measurements = await run(server, mode, config);
  } finally {
    await server.close();
  }
  const report = buildReport(measurements);
  say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; ${loadLine()}${problems ? `; ${problems} problem(s), see above` : ''}`);
  for (const line of verdictLines(report)) say(line);
  if (problems) process.exitCode = 1;
  console.log(formatReportLine(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
