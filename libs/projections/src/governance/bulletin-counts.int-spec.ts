import type { RecordedEvent } from '@app/event-store';
import { controlTargetStreamId, periodBounds, reportingWindowStreamId, type IncidentKind } from '@app/governance';
import type { DomainEvent } from '@app/shared-kernel';
import { findingsProjection } from '../findings/findings.projection';
import type { Projection } from '../runner/projection';
import { tasksProjection } from '../tasks/tasks.projection';
import { recorded } from '../testing/governance-events';
import { migratedDatabase } from '../testing/migrated-database';
import { unitsProjection } from '../units/units.projection';
import { AnnualStatisticsHandler, AnnualStatisticsQuery } from './annual-statistics.queries';
import { MonthCountsHandler, MonthCountsQuery } from './bulletins.queries';
import { controlTargetsProjection } from './control-targets.projection';
import { incidentsProjection } from './incidents.projection';
import { recommendationsProjection } from './recommendations.projection';
import { reportingProjection } from './reporting.projection';
import { taskFactsProjection } from './task-facts.projection';

/** Beijing wall-clock time → UTC ISO instant. */
const bj = (local: string): string => new Date(`${local}+08:00`).toISOString();
const BY = { personId: 'p-wf', name: '联席办 王芳' };
const basis = { rule: 'test', calendar: 'test' };

/** A log in the making: each event gets the next position and its stream's next version. */
class Log {
  readonly events: RecordedEvent[] = [];
  private readonly versions = new Map<string, number>();

  add(streamId: string, type: string, data: Record<string, unknown>): void {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.events.push(recorded({ type, data } as DomainEvent, streamId, version, this.events.length + 1));
  }

  unit(unitId: string): void {
    this.add(`units.unit-${unitId}`, 'units.unit-registered.v1', { unitId, name: `${unitId} 名`, kind: 'district', parentId: null });
  }

  task(taskId: string, leadUnitId: string, issuedAt: string, dueAt: string): void {
    this.add(`supervision.task-${taskId}`, 'supervision.task-issued.v1', {
      taskId,
      title: taskId,
      description: taskId,
      source: { kind: 'upper_level', ref: null },
      leadUnitId,
      coUnitIds: [],
      dueAt,
      reportEveryDays: 7,
      caseLeader: null,
      plan: null,
      signForDueAt: issuedAt,
      signForBasis: basis,
      objectionDueAt: issuedAt,
      objectionBasis: basis,
      issuedAt,
    });
  }

  onTask(taskId: string, event: string, data: Record<string, unknown>): void {
    this.add(`supervision.task-${taskId}`, `supervision.${event}.v1`, { taskId, ...data });
  }

  incident(incidentId: string, unitId: string, kind: IncidentKind, persons: number, occurredAt: string): void {
    const year = Number(new Date(Date.parse(occurredAt) + 8 * 3_600_000).toISOString().slice(0, 4));
    this.add(controlTargetStreamId(unitId, kind, year), 'governance.incident-recorded.v1', { incidentId, unitId, kind, persons, occurredAt, reportedAt: occurredAt, year, summary: '进京非访', recordedAt: occurredAt });
  }

  finding(findingId: string, unitId: string | null, detectedAt: string, rule = 'task_overdue'): void {
    this.add(`findings.finding-${findingId}`, 'findings.finding-detected.v1', { findingId, rule, taskId: null, caseId: null, unitId, people: [], evidence: [], at: detectedAt, detectedAt, detail: '' });
  }
}

describe('what a bulletin and the annual statistics count, from the read models', () => {
  const db = migratedDatabase('proj_bulletin_counts');
  const log = new Log();
  for (const unitId of ['hedong', 'chuanshan', 'zhujian']) log.unit(unitId);
  // t1 (河东): due 20 May, went overdue then (recorded the next morning); a progress report missed on 5 May, one on 30 April.
  log.task('t1', 'hedong', bj('2026-04-10T09:00'), bj('2026-05-20T18:00'));
  log.onTask('t1', 'progress-report-missed', { unitId: 'hedong', dueAt: bj('2026-04-30T23:00'), at: bj('2026-05-01T00:00') });
  log.onTask('t1', 'reminder-sent', { message: '催办', by: BY, at: bj('2026-05-02T09:00') });
  log.onTask('t1', 'progress-report-missed', { unitId: 'hedong', dueAt: bj('2026-05-05T09:00'), at: bj('2026-05-05T09:01') });
  log.onTask('t1', 'task-overdue', { dueAt: bj('2026-05-20T18:00'), at: bj('2026-05-21T08:00') });
  // t2 (船山): sent back once, then closed on time; escalated blue, then red.
  log.task('t2', 'chuanshan', bj('2026-04-11T09:00'), bj('2026-05-15T18:00'));
  log.onTask('t2', 'task-escalated', { from: 'none', level: 'blue', reason: '慢', by: BY, at: bj('2026-05-03T09:00') });
  log.onTask('t2', 'task-escalated', { from: 'blue', level: 'red', reason: '更慢', by: BY, at: bj('2026-05-04T09:00') });
  log.onTask('t2', 'completion-reported', { summary: '办结', evidence: null, by: BY, at: bj('2026-05-09T09:00') });
  log.onTask('t2', 'completion-reviewed', { decision: 'send_back', reason: '缺材料', by: BY, at: bj('2026-05-10T09:00') });
  log.onTask('t2', 'completion-reported', { summary: '办结', evidence: null, by: BY, at: bj('2026-05-12T09:00') });
  log.onTask('t2', 'completion-reviewed', { decision: 'accept', reason: '好', by: BY, at: bj('2026-05-13T09:00') });
  log.onTask('t2', 'task-signed-off', { dueAt: bj('2026-05-15T18:00'), onTime: true, by: BY, at: bj('2026-05-14T09:00') });
  // t3: issued to 河东, reassigned to 住建局, overdue in the last second of May (Beijing): charged to 住建局.
  log.task('t3', 'hedong', bj('2026-04-12T09:00'), bj('2026-05-31T23:59:59'));
  log.onTask('t3', 'objection-upheld', { reason: '职责', outcome: 'reassigned', fromUnitId: 'hedong', reassignTo: 'zhujian', signForDueAt: null, objectionDueAt: null, basis: null, at: bj('2026-04-13T09:00') });
  log.onTask('t3', 'task-overdue', { dueAt: bj('2026-05-31T23:59:59'), at: bj('2026-06-01T00:00') });
  // t4 (住建局): overdue at 1 June 00:00 Beijing, which is June. t5: issued on New Year's Eve 2025.
  log.task('t4', 'zhujian', bj('2026-04-12T09:00'), bj('2026-06-01T00:00'));
  log.onTask('t4', 'task-overdue', { dueAt: bj('2026-06-01T00:00'), at: bj('2026-06-01T00:01') });
  log.task('t5', 'zhujian', bj('2025-12-31T23:59'), bj('2026-08-01T18:00'));
  // Daily reports: 河东 missed 31 May, 船山 missed 1 June.
  const window = reportingWindowStreamId('w1');
  log.add(window, 'governance.reporting-window-opened.v1', { windowId: 'w1', name: '零报告', from: '2026-05-31', to: '2026-06-01', cutoff: '17:00', unitIds: ['hedong', 'chuanshan'], openedAt: bj('2026-05-30T09:00') });
  log.add(window, 'governance.daily-report-missed.v1', { windowId: 'w1', unitId: 'hedong', date: '2026-05-31', cutoffAt: bj('2026-05-31T17:00'), at: bj('2026-05-31T17:00') });
  log.add(window, 'governance.daily-report-missed.v1', { windowId: 'w1', unitId: 'chuanshan', date: '2026-06-01', cutoffAt: bj('2026-06-01T17:00'), at: bj('2026-06-01T17:00') });
  // 河东's 非访 target 3 for 2026: 2 persons in March, 4 in May, 1 in June (after the month).
  log.add(controlTargetStreamId('hedong', 'beijing_visit', 2026), 'governance.control-target-set.v1', { unitId: 'hedong', metric: 'beijing_visit', year: 2026, limit: 3, previousLimit: null, setAt: bj('2026-01-02T09:00') });
  log.incident('i1', 'hedong', 'beijing_visit', 2, bj('2026-03-01T09:00'));
  log.incident('i2', 'hedong', 'beijing_visit', 4, bj('2026-05-03T09:00'));
  log.incident('i3', 'hedong', 'beijing_visit', 1, bj('2026-06-02T09:00'));
  // Findings: 河东 in May and in June; one naming no unit.
  log.finding('f1', 'hedong', bj('2026-05-10T09:00'));
  log.finding('f2', 'hedong', bj('2026-06-01T09:00'), 'progress_report_missed');
  log.finding('f3', null, bj('2026-05-11T09:00'), 'overdue_not_supervised');
  // Recommendations: two made in 2026 (one answered and adopted), one in 2025.
  const made = (id: string, madeAt: string) =>
    log.add(`governance.recommendation-${id}`, 'governance.recommendation-made.v1', { recommendationId: id, unitId: 'hedong', kind: 'improve_work', text: '改进', answerDueAt: bj('2026-12-01T09:00'), madeAt });
  made('r1', bj('2026-02-01T09:00'));
  made('r2', bj('2026-03-01T09:00'));
  made('r0', bj('2025-12-01T09:00'));
  log.add('governance.recommendation-r1', 'governance.recommendation-answered.v1', { recommendationId: 'r1', unitId: 'hedong', text: '采纳', adopted: true, answeredAt: bj('2026-02-10T09:00'), answerDueAt: bj('2026-12-01T09:00'), late: false });

  const projections: Projection[] = [unitsProjection, tasksProjection(), taskFactsProjection, reportingProjection, controlTargetsProjection, incidentsProjection, findingsProjection(), recommendationsProjection];

  beforeAll(async () => {
    for (const projection of projections) {
      const mine = log.events.filter((e) => projection.eventTypes.includes(e.type));
      await projection.apply(mine, db.sql);
    }
    // A replayed batch adds no fact twice.
    await taskFactsProjection.apply(log.events.filter((e) => taskFactsProjection.eventTypes.includes(e.type)), db.sql);
  });

  it('counts each unit’s month in Beijing time: tasks due and closed on time, overdue, sent back, missed reports, incidents against targets, findings', async () => {
    const counts = await new MonthCountsHandler(db.pool).execute(new MonthCountsQuery(periodBounds('2026-05')));
    const zero = { dueInMonth: 0, closedOnTime: 0, overdue: 0, sentBack: 0, missedProgressReports: 0, missedDailyReports: 0, incidents: 0, incidentPersons: 0, targets: [], findings: 0 };
    expect(counts).toEqual([
      { ...zero, unitId: 'chuanshan', name: 'chuanshan 名', dueInMonth: 1, closedOnTime: 1, sentBack: 1 },
      {
        ...zero,
        unitId: 'hedong',
        name: 'hedong 名',
        dueInMonth: 1,
        overdue: 1,
        missedProgressReports: 1,
        missedDailyReports: 1,
        incidents: 1,
        incidentPersons: 4,
        targets: [{ metric: 'beijing_visit', limit: 3, usedToDate: 6 }],
        findings: 1,
      },
      { ...zero, unitId: 'zhujian', name: 'zhujian 名', dueInMonth: 1, overdue: 1 },
    ]);
  });

  it('counts June apart from May, and every unit even in a month where nothing happened', async () => {
    const june = await new MonthCountsHandler(db.pool).execute(new MonthCountsQuery(periodBounds('2026-06')));
    expect(june.map((u) => [u.unitId, u.overdue, u.missedDailyReports, u.incidentPersons, u.findings, u.targets.map((t) => t.usedToDate)])).toEqual([
      ['chuanshan', 0, 1, 0, 0, []],
      ['hedong', 0, 0, 1, 1, [7]],
      ['zhujian', 1, 0, 0, 0, []],
    ]);
    const july2025 = await new MonthCountsHandler(db.pool).execute(new MonthCountsQuery(periodBounds('2025-07')));
    expect(july2025.every((u) => u.dueInMonth + u.overdue + u.findings + u.incidentPersons === 0 && u.targets.length === 0)).toBe(true);
  });

  it('gives the year’s statistics (条例 41): tasks issued, supervised, escalated, overdue, closed; recommendations; findings by rule and unit', async () => {
    const stats = await new AnnualStatisticsHandler(db.pool).execute(new AnnualStatisticsQuery(2026));
    expect(stats).toMatchObject({
      year: 2026,
      from: '2026-01-01T00:00:00.000+08:00',
      to: '2027-01-01T00:00:00.000+08:00',
      tasks: { issued: 4, supervised: 2, escalated: 1, escalatedByLevel: { blue: 1, yellow: 0, red: 1, listed: 0 }, overdue: 3, closed: 1, closedOnTime: 1 },
      recommendations: { made: 2, answered: 1, adopted: 1, byKind: { improve_work: { made: 2, answered: 1, adopted: 1 }, improve_policy: { made: 0, answered: 0, adopted: 0 } } },
      findings: { total: 3, byUnit: [{ unitId: 'hedong', name: 'hedong 名', count: 2 }], topUnits: [{ unitId: 'hedong', name: 'hedong 名', count: 2, rank: 1 }] },
    });
    expect(stats.findings.byRule).toMatchObject({ task_overdue: 1, progress_report_missed: 1, overdue_not_supervised: 1, sign_for_missed: 0 });
    const before = await new AnnualStatisticsHandler(db.pool).execute(new AnnualStatisticsQuery(2025));
    expect(before.tasks).toMatchObject({ issued: 1, supervised: 0, overdue: 0 });
    expect(before.recommendations.made).toBe(1);
  });
});
