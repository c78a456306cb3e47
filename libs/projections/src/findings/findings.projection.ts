import type { RecordedEvent } from '@app/event-store';
import { FINDING_EVENT_TYPES, type FindingDetected, type FindingTakenUp } from '@app/findings';
import type { CaseOpened } from '@app/accountability';
import type { Projection, SqlClient } from '../runner/projection';

const CASE_OPENED: CaseOpened['type'] = 'accountability.case-opened.v1';

/**
 * rm_findings, fed by the findings streams. Findings are few (a handful per task at most), so each
 * event is one statement; all are idempotent, so a replayed batch changes nothing. A finding is
 * taken up by the case that names it: the case's own opening event says so, so a crash between
 * opening the case and appending `finding-taken-up` to the finding's stream cannot leave it open.
 */
export function findingsProjection(table = 'rm_findings'): Projection {
  return {
    name: 'findings.v2',
    eventTypes: [...FINDING_EVENT_TYPES, CASE_OPENED],
    tables: [table],

    async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
      for (const e of events) {
        if (e.type === 'findings.finding-detected.v1') {
          const d = (e as unknown as RecordedEvent<FindingDetected['data']>).data;
          await sql.query(
            `INSERT INTO ${table} (finding_id, rule, task_id, case_id, unit_id, person_ids, people, evidence, detail, at, detected_at, status, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12) ON CONFLICT (finding_id) DO NOTHING`,
            [d.findingId, d.rule, d.taskId, d.caseId, d.unitId, [...new Set(d.people.map((p) => p.personId))], JSON.stringify(d.people), d.evidence, d.detail, d.at, d.detectedAt, e.position],
          );
        } else if (e.type === 'findings.finding-taken-up.v1') {
          const d = (e as unknown as RecordedEvent<FindingTakenUp['data']>).data;
          await takeUp(sql, table, [d.findingId], d.caseId);
        } else if (e.type === CASE_OPENED) {
          const d = (e as unknown as RecordedEvent<CaseOpened['data']>).data;
          await takeUp(sql, table, d.findingIds, d.caseId);
        }
      }
    },
  };
}

function takeUp(sql: SqlClient, table: string, findingIds: readonly string[], caseId: string): Promise<unknown> {
  return sql.query(
    `UPDATE ${table} SET status = 'taken_up', case_ids = CASE WHEN $2 = ANY(case_ids) THEN case_ids ELSE array_append(case_ids, $2) END WHERE finding_id = ANY($1::text[])`,
    [findingIds, caseId],
  );
}
