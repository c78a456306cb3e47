import { given } from '@app/testing';
import { controlTargetDecider, type ControlTargetCommand } from './control-target.decider';
import type { ControlTargetEvent } from './control-target.events';
import { beijingYear, incidentEventId, type IncidentRecorded } from './incident.events';

type Record = Extract<ControlTargetCommand, { type: 'RecordIncident' }>;

const NOW = '2026-03-10T02:00:00.000Z';
const report = (overrides: Partial<Record> = {}): Record => ({
  type: 'RecordIncident',
  incidentId: 'i1',
  unitId: 'hedong',
  kind: 'beijing_visit',
  persons: 2,
  occurredAt: '2026-03-09T01:00:00.000Z',
  reportedAt: '2026-03-09T03:00:00.000Z',
  summary: '2人进京非访',
  now: NOW,
  eventId: 'e1',
  thresholds: [0.5, 1],
  ...overrides,
});
const recorded = (data: Partial<IncidentRecorded['data']> = {}): IncidentRecorded => ({
  type: 'governance.incident-recorded.v1',
  data: { incidentId: 'i1', unitId: 'hedong', kind: 'beijing_visit', persons: 2, occurredAt: '2026-03-09T01:00:00.000Z', reportedAt: '2026-03-09T03:00:00.000Z', year: 2026, summary: '2人进京非访', recordedAt: NOW, ...data },
});
const scenario = (history: ControlTargetEvent[]) => given(controlTargetDecider, history);

describe('incidents (越级访, 集体访, 进京/赴省访)', () => {
  it('records the incident with its persons, occurrence and report times, and the year it counts in', () => {
    scenario([]).when(report()).then([recorded()]);
  });

  it('keeps a late report as reported (迟报 is for the findings to see), and accepts one reported just now', () => {
    scenario([]).when(report({ occurredAt: '2026-03-01T00:00:00.000Z', reportedAt: NOW })).then([recorded({ occurredAt: '2026-03-01T00:00:00.000Z', reportedAt: NOW })]);
    scenario([]).when(report({ occurredAt: NOW, reportedAt: NOW })).then([recorded({ occurredAt: NOW, reportedAt: NOW })]);
  });

  it('refuses a report before the incident, a report or an incident in the future', () => {
    scenario([]).when(report({ reportedAt: '2026-03-09T00:59:59.999Z' })).refuses('REPORTED_BEFORE_OCCURRED', 'rule');
    scenario([]).when(report({ reportedAt: '2026-03-10T02:00:00.001Z' })).refuses('REPORTED_IN_FUTURE', 'rule');
    scenario([]).when(report({ occurredAt: '2026-03-10T02:00:00.001Z', reportedAt: '2026-03-10T02:00:00.001Z' })).refuses('OCCURRED_IN_FUTURE', 'rule');
  });

  it('counts persons as whole people, at least one', () => {
    for (const persons of [0, -1, 1.5, Number.NaN]) scenario([]).when(report({ persons })).refuses('INVALID_PERSONS', 'invalid');
  });

  it('records an incident id once', () => {
    scenario([recorded()]).when(report({ persons: 5 })).refuses('INCIDENT_ALREADY_RECORDED', 'conflict');
  });

  it('counts an incident in the Beijing calendar year it occurred in', () => {
    // 31 Dec 2025 16:30 UTC is 1 Jan 2026 00:30 in Beijing.
    expect(beijingYear('2025-12-31T16:30:00.000Z')).toBe(2026);
    expect(beijingYear('2025-12-31T15:59:59.999Z')).toBe(2025);
    scenario([]).when(report({ occurredAt: '2025-12-31T16:30:00.000Z' })).then([recorded({ occurredAt: '2025-12-31T16:30:00.000Z', year: 2026 })]);
  });

  it('derives the event id from the incident id, so one id is recorded once in the whole log', () => {
    expect(incidentEventId('i1')).toBe(incidentEventId('i1'));
    expect(incidentEventId('i1')).not.toBe(incidentEventId('i2'));
    expect(incidentEventId('i1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
