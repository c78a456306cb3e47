import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@app/event-store';
import { ProjectionRunner, runMigrations, tasksProjection } from '@app/projections';
import { fold, uuidv7, type Principal } from '@app/shared-kernel';
import { taskDecider, taskStreamId, type TaskCommand, type TaskEvent } from '@app/supervision';
import { countRows } from './database';
import { runConcurrently } from './workload';

const office: Principal = { personId: 'p-office', name: '联席办', unitId: null, roles: ['office', 'office_lead'] };
const UNITS = 60;
const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const iso = (hours: number): string => new Date(T0 + hours * 3_600_000).toISOString();

/** One task's whole life (issue, sign-for, five reports, completion, review, sign-off) as the decider decides it. */
export function taskHistory(n: number): TaskEvent[] {
  const unitId = `unit-${n % UNITS}`;
  const unit: Principal = { personId: `p-${unitId}`, name: unitId, unitId, roles: ['unit', 'unit_lead'] };
  const taskId = `bench-${n}`;
  const commands: TaskCommand[] = [
    { type: 'IssueTask', taskId, actor: office, at: iso(0), title: `任务 ${n}`, description: '落实', source: { kind: 'other', ref: null }, leadUnitId: unitId, coUnitIds: [`unit-${(n + 1) % UNITS}`], dueAt: iso(24 * 30), signForDueAt: iso(24), signForBasis: { rule: 'bench', calendar: 'none' }, objectionDueAt: iso(24 * 5), objectionBasis: { rule: 'bench', calendar: 'none' }, reportEveryDays: 7, caseLeader: null, plan: null },
    { type: 'SignFor', taskId, actor: unit, at: iso(2) },
    ...[1, 2, 3, 4, 5].map((k): TaskCommand => ({ type: 'ReportProgress', taskId, actor: unit, at: iso(24 * 4 * k), summary: `进展 ${k}`, percent: k * 20, occurredAt: iso(24 * 4 * k) })),
    { type: 'ReportCompletion', taskId, actor: unit, at: iso(24 * 25), summary: '办结', evidence: null },
    { type: 'ReviewCompletion', taskId, actor: office, at: iso(24 * 26), decision: 'accept', reason: '属实' },
    { type: 'SignOff', taskId, actor: office, at: iso(24 * 27) },
  ];
  const events: TaskEvent[] = [];
  for (const command of commands) events.push(...taskDecider.decide(command, fold(taskDecider, events)));
  return events;
}

function envelope(event: TaskEvent): NewEvent {
  return { eventId: uuidv7(), type: event.type, schemaVersion: 1, data: event.data, metadata: { actor: { personId: 'bench', name: 'bench', unitId: null, roles: [] }, correlationId: 'bench', causationId: null, requestId: null, occurredAt: new Date(T0).toISOString() } };
}

/**
 * rebuild_board (DESIGN.md §8): events per second of building the task/board read model from
 * position 0, the way a fresh projector (or `cli rebuild`) does: the runner's batches, each with
 * its checkpoint in one transaction.
 */
export async function rebuildBoardRate(url: string, tasks: number): Promise<number> {
  await runMigrations(url);
  const store = new PostgresEventStore({ connectionString: url });
  const pool = new Pool({ connectionString: url, max: 4 });
  try {
    let next = 0;
    let total = 0;
    await runConcurrently(4, async () => {
      const n = next++;
      if (n >= tasks) return false;
      const events = taskHistory(n);
      total += events.length;
      await store.append(taskStreamId(`bench-${n}`), events.map(envelope), 'no_stream');
      return true;
    });
    const head = await store.headPosition();
    const runner = new ProjectionRunner(store, pool, [tasksProjection()]);
    const started = performance.now();
    await runner.start();
    const reached = await runner.waitFor(head, 600_000);
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    if (!reached) throw new Error('the rebuild did not reach the head of the log');
    const rows = await countRows(url, 'rm_tasks');
    if (rows !== tasks) throw new Error(`rebuilt ${rows} tasks, expected ${tasks}`);
    return total / seconds;
  } finally {
    await store.close();
    await pool.end();
  }
}
