import { controlTargetStreamId, type ControlTargetEvent, type IncidentRecorded } from '@app/governance';
import { migratedDatabase } from '../testing/migrated-database';
import { controlTargetsProjection } from './control-targets.projection';
import { ListControlTargetsHandler, ListControlTargetsQuery } from './control-targets.queries';
import { incidentsProjection } from './incidents.projection';
import { ListIncidentsHandler, ListIncidentsQuery } from './incidents.queries';
import { OFFICE, recorded, unitUser } from '../testing/governance-events';

const STREAM = controlTargetStreamId('hedong', 'beijing_visit', 2026);
const incident = (incidentId: string, persons: number, occurredAt: string, year = 2026): IncidentRecorded => ({
  type: 'governance.incident-recorded.v1',
  data: { incidentId, unitId: 'hedong', kind: 'beijing_visit', persons, occurredAt, reportedAt: occurredAt, year, summary: '进京非访', recordedAt: '2026-03-01T02:00:00.000Z' },
});
const set = (limit: number, previousLimit: number | null): ControlTargetEvent => ({ type: 'governance.control-target-set.v1', data: { unitId: 'hedong', metric: 'beijing_visit', year: 2026, limit, previousLimit, setAt: '2026-03-01T02:00:00.000Z' } });
const warning = (threshold: number, used: number, limit: number, causePosition: number): ControlTargetEvent => ({
  type: 'governance.control-target-warning-raised.v1',
  data: { unitId: 'hedong', metric: 'beijing_visit', year: 2026, threshold, used, limit, cause: 'incident', causeEventId: `00000000-0000-7000-8000-${String(causePosition).padStart(12, '0')}`, incidentId: 'i2', raisedAt: '2026-03-01T02:00:00.000Z' },
});

describe('incidents and control-target projections', () => {
  const db = migratedDatabase('proj_targets');
  const history = [
    recorded(incident('i1', 1, '2026-01-05T02:00:00.000Z'), STREAM, 1, 1),
    recorded(set(3, null), STREAM, 2, 2),
    recorded(incident('i2', 5, '2026-02-05T02:00:00.000Z'), STREAM, 3, 3),
    recorded(warning(0.5, 6, 3, 3), STREAM, 4, 4),
    recorded(warning(1, 6, 3, 3), STREAM, 5, 5),
  ];

  it('folds use, limit and warnings as the decider does, and changes nothing when a batch is replayed', async () => {
    await controlTargetsProjection.apply(history.slice(0, 2), db.sql);
    for (let i = 0; i < 2; i += 1) await controlTargetsProjection.apply(history, db.sql);
    const handler = new ListControlTargetsHandler(db.pool);
    const page = await handler.execute(new ListControlTargetsQuery({ year: 2026, unitId: null, limit: 50, cursor: null }, OFFICE));
    expect(page).toEqual({
      items: [
        {
          id: 'hedong-beijing_visit-2026',
          unitId: 'hedong',
          metric: 'beijing_visit',
          year: 2026,
          limit: 3,
          used: 6,
          ratio: 2,
          warnings: [0.5, 1],
          limitHistory: [{ limit: 3, previousLimit: null, setAt: '2026-03-01T10:00:00.000+08:00', setBy: { personId: 'p-wf', name: '联席办 王芳' }, eventId: history[1]?.eventId }],
          warningHistory: [0.5, 1].map((threshold, i) => ({ threshold, used: 6, limit: 3, cause: 'incident', causeEventId: history[2]?.eventId, incidentId: 'i2', raisedAt: '2026-03-01T10:00:00.000+08:00', eventId: history[3 + i]?.eventId })),
          version: 5,
        },
      ],
      nextCursor: null,
    });
    expect((await handler.execute(new ListControlTargetsQuery({ year: 2025, unitId: null, limit: 50, cursor: null }, OFFICE))).items).toEqual([]);
  });

  it('re-arms thresholds when a raised limit brings the use below them, and lists no use without a target', async () => {
    await controlTargetsProjection.apply([recorded(set(20, 3), STREAM, 6, 6)], db.sql);
    const other = controlTargetStreamId('chuanshan', 'collective_visit', 2026);
    await controlTargetsProjection.apply([recorded({ ...incident('c1', 9, '2026-02-01T00:00:00.000Z'), data: { ...incident('c1', 9, '2026-02-01T00:00:00.000Z').data, unitId: 'chuanshan', kind: 'collective_visit' } }, other, 1, 7)], db.sql);
    const { items } = await new ListControlTargetsHandler(db.pool).execute(new ListControlTargetsQuery({ year: null, unitId: null, limit: 50, cursor: null }, OFFICE));
    expect(items.map((t) => [t.id, t.limit, t.used, t.ratio, t.warnings])).toEqual([['hedong-beijing_visit-2026', 20, 6, 0.3, []]]);
    const { rows } = await db.sql.query<{ used: number; limit_value: number | null }>("SELECT used, limit_value FROM rm_control_targets WHERE target_id = 'chuanshan-collective_visit-2026'");
    expect(rows).toEqual([{ used: 9, limit_value: null }]);
  });

  it('lists incidents newest first by unit, year and kind, idempotently, a unit seeing only its own', async () => {
    const chuanshan = controlTargetStreamId('chuanshan', 'skip_level_visit', 2025);
    const events = [
      ...history.filter((e) => e.type === 'governance.incident-recorded.v1'),
      recorded({ ...incident('c2', 2, '2025-12-31T16:30:00.000Z', 2026), data: { ...incident('c2', 2, '2025-12-31T16:30:00.000Z', 2026).data, unitId: 'chuanshan', kind: 'skip_level_visit' } }, chuanshan, 1, 8),
    ];
    for (let i = 0; i < 2; i += 1) await incidentsProjection.apply(events, db.sql);
    const handler = new ListIncidentsHandler(db.pool);
    const list = async (filter: Partial<ListIncidentsQuery['filter']>, who = OFFICE) => (await handler.execute(new ListIncidentsQuery({ unitId: null, year: null, kind: null, limit: 50, cursor: null, ...filter }, who))).items;
    expect((await list({})).map((i) => i.id)).toEqual(['i2', 'i1', 'c2']);
    expect(await list({ unitId: 'hedong', year: 2026, kind: 'beijing_visit' })).toEqual([
      expect.objectContaining({ id: 'i2', persons: 5, occurredAt: '2026-02-05T10:00:00.000+08:00', year: 2026, eventId: history[2]?.eventId, recordedBy: { personId: 'p-wf', name: '联席办 王芳' } }),
      expect.objectContaining({ id: 'i1', persons: 1 }),
    ]);
    expect((await list({ year: 2026, kind: 'skip_level_visit' })).map((i) => [i.id, i.occurredAt])).toEqual([['c2', '2026-01-01T00:30:00.000+08:00']]);
    expect((await list({}, unitUser('chuanshan'))).map((i) => i.id)).toEqual(['c2']);
    await expect(list({ unitId: 'hedong' }, unitUser('chuanshan'))).rejects.toMatchObject({ code: 'NOT_YOUR_UNIT', kind: 'forbidden' });
    const first = await handler.execute(new ListIncidentsQuery({ unitId: null, year: null, kind: null, limit: 2, cursor: null }, OFFICE));
    const rest = await handler.execute(new ListIncidentsQuery({ unitId: null, year: null, kind: null, limit: 2, cursor: first.nextCursor }, OFFICE));
    expect([...first.items, ...rest.items].map((i) => i.id)).toEqual(['i2', 'i1', 'c2']);
    expect(rest.nextCursor).toBeNull();
  });
});
