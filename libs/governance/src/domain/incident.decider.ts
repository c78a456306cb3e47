import { DomainError } from '@app/shared-kernel';
import { beijingYear, type IncidentKind, type IncidentRecorded } from './incident.events';

/** An incident as the office reports it; `now` is the server's time of recording. */
export interface IncidentReport {
  incidentId: string;
  unitId: string;
  kind: IncidentKind;
  persons: number;
  occurredAt: string;
  reportedAt: string;
  summary: string;
  now: string;
}

const at = (iso: string): number => Date.parse(iso);
const refuse = (code: string, message: string, field: string): DomainError => new DomainError('rule', code, message, [{ field, message }]);

/**
 * The incident's own rules, whatever the target it counts against: at least one person, and
 * occurred ≤ reported ≤ now (a report cannot precede what it reports, nor come from the future).
 */
export function decideIncident(report: IncidentReport): IncidentRecorded {
  if (!Number.isSafeInteger(report.persons) || report.persons < 1) {
    throw new DomainError('invalid', 'INVALID_PERSONS', 'persons counts people (人次): a whole number, at least 1.', [{ field: 'persons', message: 'a whole number ≥ 1' }]);
  }
  if (at(report.occurredAt) > at(report.now)) throw refuse('OCCURRED_IN_FUTURE', 'An incident is recorded once it has happened: occurredAt may not be in the future.', 'occurredAt');
  if (at(report.reportedAt) < at(report.occurredAt)) throw refuse('REPORTED_BEFORE_OCCURRED', 'An incident cannot be reported before it occurred.', 'reportedAt');
  if (at(report.reportedAt) > at(report.now)) throw refuse('REPORTED_IN_FUTURE', 'reportedAt may not be later than now.', 'reportedAt');
  const { incidentId, unitId, kind, persons, occurredAt, reportedAt, summary, now } = report;
  return { type: 'governance.incident-recorded.v1', data: { incidentId, unitId, kind, persons, occurredAt, reportedAt, year: beijingYear(occurredAt), summary, recordedAt: now } };
}
