import fc from 'fast-check';
import { PostgresEventStore, runDecider, type Actor, type RecordedEvent } from '@app/event-store';
import { runMigrations, taskView } from '@app/projections';
import { DomainError, ManualClock, fold, uuidv7 } from '@app/shared-kernel';
import { isOverdue, taskDecider, taskStreamId, type TaskCommand, type TaskEvent } from '@app/supervision';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { AuditReads } from './audit-reads.service';
import { TaskHistoryReader } from './task-history.reader';

const HOUR = 3_600_000;
const office: Actor = { personId: 'p-office', name: '联席办', unitId: null, roles: ['office', 'office_lead'] };
const unitLead: Actor = { personId: 'p-cs', name: '船山区', unitId: 'cs', roles: ['unit', 'unit_lead'] };
const basis = { rule: 'test', calendar: 'none' };

/** A step of the history: a command (refused ones record nothing) after the clock moved on. */
type Step = { advanceMs: number; kind: number; pick: number };

function commandOf(step: Step, taskId: string, now: number, issuedAt: number): { command: TaskCommand; actor: Actor } {
  const at = new Date(now).toISOString();
  const base = { taskId, at };
  const p = (actor: Actor) => ({ ...base, actor: { personId: actor.personId, name: actor.name, unitId: actor.unitId, roles: actor.roles as never } });
  switch (step.kind) {
    case 0: return { actor: unitLead, command: { ...p(unitLead), type: 'SignFor' } };
    // Business time anywhere between the issue and now: an offline report recorded later.
    case 1: return { actor: unitLead, command: { ...p(unitLead), type: 'ReportProgress', summary: 'r', percent: null, occurredAt: new Date(issuedAt + ((now - issuedAt) * step.pick) / 100).toISOString() } };
    case 2: return { actor: office, command: { ...p(office), type: 'SendReminder', message: 'm' } };
    case 3: return { actor: office, command: { ...p(office), type: 'Escalate', level: (['blue', 'yellow', 'red', 'listed'] as const)[step.pick % 4] ?? 'blue', reason: 'x' } };
    case 4: return { actor: unitLead, command: { ...p(unitLead), type: 'RequestExtension', reason: 'x', proposedDueAt: new Date(now + (48 + step.pick) * HOUR).toISOString(), progress: 'p' } };
    case 5: return { actor: office, command: { ...p(office), type: 'DecideExtension', approve: step.pick % 2 === 0, dueAt: null, reason: 'x' } };
    case 6: return { actor: unitLead, command: { ...p(unitLead), type: 'ReportCompletion', summary: 's', evidence: null } };
    case 7: return { actor: office, command: { ...p(office), type: 'ReviewCompletion', decision: step.pick % 2 === 0 ? 'accept' : 'send_back', reason: 'x' } };
    case 8: return { actor: office, command: { ...p(office), type: 'SignOff' } };
    default: return { actor: office, command: { ...p(office), type: 'CheckDeadlines', dueSoonDays: 1 } };
  }
}

describe('state as of a moment (property, real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let clock: ManualClock;
  let reads: AuditReads;

  beforeAll(async () => {
    db = await createTestDatabase('audit_state');
    await runMigrations(db.url);
    clock = new ManualClock('2026-03-01T00:00:00.000Z');
    store = new PostgresEventStore({ connectionString: db.url, clock });
    reads = new AuditReads(store, new TaskHistoryReader(store), clock);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('answers at any moment t exactly what folding the events recorded by t gives, and 404 before the task existed', async () => {
    const step = fc.record({ advanceMs: fc.integer({ min: 0, max: 30 * HOUR }), kind: fc.integer({ min: 0, max: 9 }), pick: fc.integer({ min: 0, max: 99 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }), async (steps, moments) => {
        const taskId = uuidv7(clock.now().getTime());
        const start = clock.now().getTime();
        const context = (actor: Actor) => ({ actor, correlationId: uuidv7(), causationId: null, requestId: null });
        const issue: TaskCommand = {
          type: 'IssueTask', taskId, actor: { ...office, roles: ['office', 'office_lead'] }, at: new Date(start).toISOString(), title: 't', description: 'd', source: { kind: 'other', ref: null },
          leadUnitId: 'cs', coUnitIds: [], dueAt: new Date(start + 72 * HOUR).toISOString(), reportEveryDays: 1, caseLeader: null, plan: null,
          signForDueAt: new Date(start + 24 * HOUR).toISOString(), signForBasis: basis, objectionDueAt: new Date(start + 48 * HOUR).toISOString(), objectionBasis: basis,
        };
        await runDecider(store, clock, taskStreamId(taskId), taskDecider, issue, context(office));
        for (const s of steps) {
          clock.advanceMs(s.advanceMs + 1);
          const { command, actor } = commandOf(s, taskId, clock.now().getTime(), start);
          try {
            // As the report use case does: the envelope's business time is the report's own.
            const occurredAt = command.type === 'ReportProgress' ? { occurredAt: new Date(command.occurredAt) } : {};
            await runDecider(store, clock, taskStreamId(taskId), taskDecider, command, { ...context(actor), ...occurredAt });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        clock.advanceMs(HOUR);
        const events: RecordedEvent[] = await store.readStream(taskStreamId(taskId));
        const span = clock.now().getTime() - start + 2 * HOUR;
        // Random moments across the history, and each event's own record time (the bound is inclusive).
        const ts = [...moments.map((m) => Math.floor(start - HOUR + (span * m) / 1000)), ...events.map((e) => Date.parse(e.recordedAt))];
        for (const t of ts) {
          const known = events.filter((e) => Date.parse(e.recordedAt) <= t);
          const last = known[known.length - 1];
          const answer = reads.state(taskId, new Date(t));
          if (!last) {
            await expect(answer).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
            continue;
          }
          const state = fold(taskDecider, known as unknown as TaskEvent[]);
          const { asOf, ...view } = await answer;
          expect(view).toEqual(taskView({ state, version: last.streamVersion, position: last.position, overdue: isOverdue(state) }));
          expect(Date.parse(asOf)).toBe(t);
        }
      }),
      { numRuns: 25 },
    );
  });
});
