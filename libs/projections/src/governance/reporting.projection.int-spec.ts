import type { RecordedEvent } from '@app/event-store';
import type { ReportingWindowEvent } from '@app/governance';
import type { Principal } from '@app/shared-kernel';
import { migratedDatabase } from '../testing/migrated-database';
import { reportingProjection } from './reporting.projection';
import { DueReportingChecksHandler, DueReportingChecksQuery, GetReportingWindowHandler, GetReportingWindowQuery, ListReportingWindowsHandler, ListReportingWindowsQuery, ReportingComplianceHandler, ReportingComplianceQuery } from './reporting.queries';

const recorded = (event: ReportingWindowEvent, streamVersion: number, position: number, windowId = 'w1'): RecordedEvent => ({
  ...event,
  eventId: `00000000-0000-7000-8000-0000000000${String(position).padStart(2, '0')}`,
  schemaVersion: 1,
  metadata: { actor: { personId: 'p-wf', name: '联席办 王芳', unitId: null, roles: ['office'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-03-04T02:00:00.000Z' },
  streamId: `governance.reporting-window-${windowId}`,
  streamVersion,
  position,
  recordedAt: '2026-03-04T02:00:00.000Z',
  hash: 'h',
  prevHash: null,
});

const opened = (windowId: string, position: number): RecordedEvent =>
  recorded(
    { type: 'governance.reporting-window-opened.v1', data: { windowId, name: '两会零报告', from: '2026-03-05', to: '2026-03-07', cutoff: '17:00', unitIds: ['chuanshan', 'anju'], openedAt: '2026-03-04T02:00:00.000Z' } },
    1,
    position,
    windowId,
  );
/** 17:00 Beijing. */
const cutoff = (day: string): string => `${day}T09:00:00.000Z`;
const filed = (unitId: string, date: string, filedAt: string, version: number, position: number, nil = true): RecordedEvent =>
  recorded(
    { type: 'governance.daily-report-filed.v1', data: { windowId: 'w1', unitId, date, nil, items: nil ? [] : [{ summary: '集体访 1 起', occurredAt: null }], filedAt, cutoffAt: cutoff(date), late: Date.parse(filedAt) >= Date.parse(cutoff(date)) } },
    version,
    position,
  );
const missed = (unitId: string, date: string, version: number, position: number): RecordedEvent =>
  recorded({ type: 'governance.daily-report-missed.v1', data: { windowId: 'w1', unitId, date, cutoffAt: cutoff(date), at: cutoff(date) } }, version, position);

const office: Principal = { personId: 'p-wf', name: '王芳', unitId: null, roles: ['office'] };
const anju: Principal = { personId: 'p-aj', name: '安居区 李', unitId: 'anju', roles: ['unit'] };
const zhujian: Principal = { personId: 'p-zj', name: '住建局 赵', unitId: 'zhujian', roles: ['unit'] };

describe('reporting windows projection and its queries', () => {
  const db = migratedDatabase('proj_reporting');
  const compliance = (principal: Principal, now: string) => new ReportingComplianceHandler(db.pool).execute(new ReportingComplianceQuery('w1', principal, new Date(now)));
  const due = (now: string) => new DueReportingChecksHandler(db.pool).execute(new DueReportingChecksQuery(new Date(now), 100));
  const statuses = async (principal: Principal, now: string) => (await compliance(principal, now)).units.map((u) => [u.unitId, u.days.map((d) => d.status).join(' ')]);

  it('shows filed, late, missed and pending per unit and day, the same after a batch is applied twice', async () => {
    const history = [
      opened('w1', 1),
      filed('chuanshan', '2026-03-05', '2026-03-05T01:00:00.000Z', 2, 2),
      missed('anju', '2026-03-05', 3, 3),
      missed('chuanshan', '2026-03-06', 4, 4),
      filed('chuanshan', '2026-03-06', '2026-03-06T12:00:00.000Z', 5, 5, false),
    ];
    await reportingProjection.apply(history.slice(0, 2), db.sql);
    // A replay of what was applied, then the rest, then all of it again: nothing changes twice.
    await reportingProjection.apply(history, db.sql);
    await reportingProjection.apply(history, db.sql);

    // 6 March, 18:00 Beijing: anju has not filed for the 6th and its miss is not recorded yet.
    expect(await statuses(office, '2026-03-06T10:00:00.000Z')).toEqual([
      ['chuanshan', 'filed late pending'],
      ['anju', 'missed missed pending'],
    ]);
    const view = await compliance(office, '2026-03-06T10:00:00.000Z');
    expect(view).toMatchObject({ windowId: 'w1', from: '2026-03-05', to: '2026-03-07', cutoff: '17:00', asOf: '2026-03-06T18:00:00.000+08:00' });
    const [chuanshan, anju2] = view.units;
    expect(chuanshan).toMatchObject({ filed: 1, late: 1, missed: 0, pending: 1 });
    expect(chuanshan?.days[1]).toEqual({
      date: '2026-03-06',
      cutoffAt: '2026-03-06T17:00:00.000+08:00',
      status: 'late',
      filedAt: '2026-03-06T20:00:00.000+08:00',
      nil: false,
      itemCount: 1,
      reportEventId: history[4]?.eventId,
      missedEventId: history[3]?.eventId,
    });
    expect(anju2?.days.map((d) => d.missedEventId)).toEqual([history[2]?.eventId, null, null]);
    const { rows } = await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM rm_reporting_days');
    expect(Number(rows[0]?.n)).toBe(3);
  });

  it('points the scheduler at the first cut-off some unit is not settled for, and nowhere once all are', async () => {
    expect(await due('2026-03-06T08:59:59.000Z')).toEqual([]);
    expect(await due('2026-03-06T09:00:00.000Z')).toEqual(['w1']);
    await reportingProjection.apply([missed('anju', '2026-03-06', 6, 6)], db.sql);
    expect(await due('2026-03-07T08:00:00.000Z')).toEqual([]);
    expect(await due('2026-03-07T09:00:00.000Z')).toEqual(['w1']);
    await reportingProjection.apply([filed('chuanshan', '2026-03-07', '2026-03-07T02:00:00.000Z', 7, 7), missed('anju', '2026-03-07', 8, 8)], db.sql);
    expect(await due('2026-04-01T00:00:00.000Z')).toEqual([]);
    const { rows } = await db.sql.query<{ next_due_at: Date | null; version: number }>('SELECT next_due_at, version FROM rm_reporting_windows');
    expect(rows).toEqual([{ next_due_at: null, version: 8 }]);
  });

  it('shows a unit user only its own unit, and no window that does not list it', async () => {
    await reportingProjection.apply([opened('w2', 9)], db.sql);
    expect(await statuses(anju, '2026-03-08T00:00:00.000Z')).toEqual([['anju', 'missed missed missed']]);
    expect(await new GetReportingWindowHandler(db.pool).execute(new GetReportingWindowQuery('w1', anju))).toMatchObject({ id: 'w1', unitIds: ['anju'], openedAt: '2026-03-04T10:00:00.000+08:00', openedBy: { personId: 'p-wf' } });
    expect((await new GetReportingWindowHandler(db.pool).execute(new GetReportingWindowQuery('w1', office))).unitIds).toEqual(['chuanshan', 'anju']);
    await expect(compliance(zhujian, '2026-03-08T00:00:00.000Z')).rejects.toMatchObject({ code: 'WINDOW_NOT_FOUND', kind: 'not_found' });
    await expect(new GetReportingWindowHandler(db.pool).execute(new GetReportingWindowQuery('w1', zhujian))).rejects.toMatchObject({ code: 'WINDOW_NOT_FOUND' });
    const list = new ListReportingWindowsHandler(db.pool);
    expect((await list.execute(new ListReportingWindowsQuery({ limit: 50, cursor: null }, zhujian))).items).toEqual([]);
    const first = await list.execute(new ListReportingWindowsQuery({ limit: 1, cursor: null }, anju));
    const rest = await list.execute(new ListReportingWindowsQuery({ limit: 50, cursor: first.nextCursor }, anju));
    expect([...first.items, ...rest.items].map((w) => [w.id, w.unitIds])).toEqual([
      ['w1', ['anju']],
      ['w2', ['anju']],
    ]);
    expect(rest.nextCursor).toBeNull();
  });
});
