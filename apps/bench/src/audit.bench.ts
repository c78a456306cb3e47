import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { AuditReads, TaskHistoryReader } from '@app/audit';
import { PostgresEventStore, type NewEvent } from '@app/event-store';
import { hashAlgorithmFor } from '@app/ledger';
import { runMigrations } from '@app/projections';
import { fold, ManualClock, uuidv7, type Principal } from '@app/shared-kernel';
import { taskDecider, taskStreamId, type TaskCommand, type TaskEvent } from '@app/supervision';

const office: Principal = { personId: 'p-office', name: '联席办', unitId: null, roles: ['office', 'office_lead'] };
const unit: Principal = { personId: 'p-cs', name: '船山区', unitId: 'cs', roles: ['unit', 'unit_lead'] };
const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const REPEATS = 15;
const WARMUP = 5;

export interface AuditReadTimes {
  /** Milliseconds (median): the task's timeline and its stream's hash-chain verification. */
  audit_ms: number;
  /** Milliseconds (median): the stream read by one plain SELECT. */
  select_ms: number;
  /** Target ≤ 2 (the audit read costs at most twice the bare read). */
  audit_vs_select: number;
  /** Milliseconds (median): the task rebuilt as of the middle of its history. */
  state_as_of_ms: number;
}

/** A busy task: issued, signed for, then 998 reminders and progress reports alternating, a minute apart. */
function busyTask(taskId: string, length: number): { events: TaskEvent[]; at: string[] } {
  const events: TaskEvent[] = [];
  const at: string[] = [];
  const decide = (command: TaskCommand, minute: number) => {
    for (const e of taskDecider.decide(command, fold(taskDecider, events))) {
      events.push(e);
      at.push(iso(minute));
    }
  };
  decide({ type: 'IssueTask', taskId, actor: office, at: iso(0), title: '烂尾楼复工', description: '落实', source: { kind: 'other', ref: null }, leadUnitId: 'cs', coUnitIds: [], dueAt: iso(60 * 24 * 365), signForDueAt: iso(60 * 24), signForBasis: { rule: 'bench', calendar: 'none' }, objectionDueAt: iso(60 * 24 * 5), objectionBasis: { rule: 'bench', calendar: 'none' }, reportEveryDays: null, caseLeader: null, plan: null }, 0);
  decide({ type: 'SignFor', taskId, actor: unit, at: iso(1) }, 1);
  for (let k = 2; events.length < length; k += 1) {
    decide(k % 2 === 0 ? { type: 'SendReminder', taskId, actor: office, at: iso(k), message: `催办 ${k}` } : { type: 'ReportProgress', taskId, actor: unit, at: iso(k), summary: `进展 ${k}`, percent: null, occurredAt: iso(k) }, k);
  }
  return { events, at };
}

async function median(work: () => Promise<unknown>): Promise<number> {
  // Warm both sides alike (JIT, plan cache, buffers), so that neither pays for being first.
  for (let i = 0; i < WARMUP; i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * Inspectors' reads against the bare read they rest on (DESIGN.md §8 spirit: ratios from one run):
 * a task of `length` events read as a timeline plus a chain verification, versus one SELECT.
 */
export async function auditReadTimes(url: string, length = 1000): Promise<AuditReadTimes> {
  await runMigrations(url);
  const clock = new ManualClock(iso(0));
  const store = new PostgresEventStore({ connectionString: url, clock, hashAlgorithm: hashAlgorithmFor('ed25519') });
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const taskId = `audit-bench-${uuidv7()}`;
    const { events, at } = busyTask(taskId, length);
    for (let from = 0; from < events.length; from += 100) {
      const batch = events.slice(from, from + 100);
      clock.set(at[from + batch.length - 1] ?? iso(0));
      const envelopes: NewEvent[] = batch.map((e, i) => ({ eventId: uuidv7(), type: e.type, schemaVersion: 1, data: e.data, metadata: { actor: { ...office }, correlationId: 'bench', causationId: null, requestId: null, occurredAt: at[from + i] ?? iso(0) } }));
      await store.append(taskStreamId(taskId), envelopes, from);
    }
    const reads = new AuditReads(store, new TaskHistoryReader(store, { alg: hashAlgorithmFor('ed25519'), hashPositions: true }), clock);
    const select = await median(() => pool.query('SELECT * FROM events WHERE stream_id = $1 ORDER BY stream_version', [taskStreamId(taskId)]));
    // The timeline checks the chains of what it read (one read of the log, as inspectors get it).
    const audit = await median(async () => {
      const { events: timeline, verification } = await reads.timeline(taskId, {});
      if (!verification?.ok || verification.checkedEvents < length || timeline.length < length) throw new Error(`bench timeline not verified: ${JSON.stringify(verification)}`);
    });
    const stateAsOf = await median(() => reads.state(taskId, new Date(iso(Math.floor(length / 2)))));
    return { audit_ms: audit, select_ms: select, audit_vs_select: audit / select, state_as_of_ms: stateAsOf };
  } finally {
    await store.close();
    await pool.end();
  }
}
