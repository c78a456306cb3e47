import type { CaseOpened } from '@app/accountability';
import type { RecordedEvent } from '@app/event-store';
import type { FindingDetected } from '@app/findings';
import { migratedDatabase } from '../testing/migrated-database';
import { findingsProjection } from './findings.projection';

const recorded = (event: FindingDetected | CaseOpened, streamId: string, position: number): RecordedEvent => ({
  ...event,
  eventId: `00000000-0000-7000-8000-0000000000${String(position).padStart(2, '0')}`,
  schemaVersion: 1,
  metadata: { actor: { personId: 'p-jj', name: '纪检 周', unitId: null, roles: ['inspector'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-03-01T02:00:00.000Z' },
  streamId,
  streamVersion: 1,
  position,
  recordedAt: '2026-03-01T02:00:00.000Z',
  hash: 'h',
  prevHash: null,
});

const detected = (findingId: string, position: number): RecordedEvent =>
  recorded(
    {
      type: 'findings.finding-detected.v1',
      data: { findingId, rule: 'task_overdue', taskId: 't1', caseId: null, unitId: 'chuanshan', people: [{ personId: 'p-li', name: '李娜', unitId: 'chuanshan', role: 'handler' }], evidence: [], at: '2026-02-20T16:00:00.000Z', detectedAt: '2026-02-21T00:00:00.000Z', detail: '逾期' },
    },
    `findings.finding-${findingId}`,
    position,
  );

describe('findings projection', () => {
  const db = migratedDatabase('proj_findings');

  it('marks findings taken up from the opening of the case alone, so a crash before finding-taken-up leaves none open', async () => {
    const projection = findingsProjection();
    const opened = recorded(
      { type: 'accountability.case-opened.v1', data: { caseId: 'c1', title: '问责', findingIds: ['f1'], evidenceEventIds: [], taskIds: ['t1'], subjects: [], openedAt: '2026-03-01T02:00:00.000Z' } },
      'accountability.case-c1',
      3,
    );
    // Applied twice, as a replayed batch would be: nothing changes the second time.
    for (let i = 0; i < 2; i += 1) await projection.apply([detected('f1', 1), detected('f2', 2), opened], db.sql);
    const { rows } = await db.sql.query<{ finding_id: string; status: string; case_ids: string[] }>('SELECT finding_id, status, case_ids FROM rm_findings ORDER BY finding_id');
    expect(rows).toEqual([
      { finding_id: 'f1', status: 'taken_up', case_ids: ['c1'] },
      { finding_id: 'f2', status: 'open', case_ids: [] },
    ]);
  });
});
