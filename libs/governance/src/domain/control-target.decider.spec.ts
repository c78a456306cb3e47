import { given } from '@app/testing';
import { controlTargetDecider, crossed, ratioOf, type ControlTargetCommand } from './control-target.decider';
import { controlTargetStreamId, type ControlTargetEvent, type ControlTargetSet, type ControlTargetWarningRaised } from './control-target.events';
import type { IncidentRecorded } from './incident.events';

type Record = Extract<ControlTargetCommand, { type: 'RecordIncident' }>;
type Set = Extract<ControlTargetCommand, { type: 'SetControlTarget' }>;

const NOW = '2026-03-10T02:00:00.000Z';
const setTarget = (limit: number, overrides: Partial<Set> = {}): Set => ({ type: 'SetControlTarget', unitId: 'hedong', metric: 'beijing_visit', year: 2026, limit, eventId: 'e-set', thresholds: [0.5, 1], now: NOW, ...overrides });
const targetSet = (limit: number, previousLimit: number | null = null): ControlTargetSet => ({ type: 'governance.control-target-set.v1', data: { unitId: 'hedong', metric: 'beijing_visit', year: 2026, limit, previousLimit, setAt: NOW } });
const report = (incidentId: string, persons: number, overrides: Partial<Record> = {}): Record => ({
  type: 'RecordIncident',
  incidentId,
  unitId: 'hedong',
  kind: 'beijing_visit',
  persons,
  occurredAt: '2026-03-09T01:00:00.000Z',
  reportedAt: '2026-03-09T03:00:00.000Z',
  summary: '进京非访',
  now: NOW,
  eventId: `e-${incidentId}`,
  thresholds: [0.5, 1],
  ...overrides,
});
const recorded = (incidentId: string, persons: number): IncidentRecorded => ({
  type: 'governance.incident-recorded.v1',
  data: { incidentId, unitId: 'hedong', kind: 'beijing_visit', persons, occurredAt: '2026-03-09T01:00:00.000Z', reportedAt: '2026-03-09T03:00:00.000Z', year: 2026, summary: '进京非访', recordedAt: NOW },
});
const warned = (threshold: number, used: number, limit: number, cause: ControlTargetWarningRaised['data']['cause'] = 'incident', incidentId: string | null = 'i2'): ControlTargetWarningRaised => ({
  type: 'governance.control-target-warning-raised.v1',
  data: { unitId: 'hedong', metric: 'beijing_visit', year: 2026, threshold, used, limit, cause, causeEventId: cause === 'incident' ? `e-${incidentId ?? ''}` : 'e-set', incidentId, raisedAt: NOW },
});
const scenario = (history: ControlTargetEvent[]) => given(controlTargetDecider, history);

describe('control targets (控制指标)', () => {
  it('keeps one stream per unit, metric and year', () => {
    expect(controlTargetStreamId('hedong', 'beijing_visit', 2026)).toBe('governance.control-target-hedong-beijing_visit-2026');
  });

  it('sets a target, and records a changed limit with the one it replaces', () => {
    scenario([]).when(setTarget(3)).then([targetSet(3)]);
    scenario([targetSet(3)]).when(setTarget(4)).then([targetSet(4, 3)]);
  });

  it('records nothing when the same limit is set again', () => {
    scenario([targetSet(3)]).when(setTarget(3)).then([]);
  });

  it('refuses a limit that is not a whole number of persons', () => {
    for (const limit of [-1, 2.5]) scenario([]).when(setTarget(limit)).refuses('INVALID_LIMIT', 'invalid');
  });

  it('warns once when an incident pushes the use to 50%, naming the incident event that crossed it', () => {
    scenario([targetSet(4), recorded('i1', 1)]).when(report('i2', 1)).then([recorded('i2', 1), warned(0.5, 2, 4)]);
    // Still past 50% but not 100%: nothing more.
    scenario([targetSet(4), recorded('i1', 1), recorded('i2', 1), warned(0.5, 2, 4)]).when(report('i3', 1)).then([recorded('i3', 1)]);
  });

  it('raises every threshold one incident crosses, lowest first (河东新区: 6 of 3 = 200%)', () => {
    scenario([targetSet(3)]).when(report('i2', 6)).then([recorded('i2', 6), warned(0.5, 6, 3), warned(1, 6, 3)]);
  });

  it('counts incidents before any target, and warns when a target is set below what is used', () => {
    scenario([recorded('i1', 4)]).when(report('i2', 1)).then([recorded('i2', 1)]);
    scenario([recorded('i1', 4)]).when(setTarget(8)).then([targetSet(8), warned(0.5, 4, 8, 'limit', null)]);
  });

  it('warns when a lowered limit crosses a threshold, and not again for one already warned about', () => {
    const history = [targetSet(8), recorded('i1', 4), warned(0.5, 4, 8, 'incident', 'i1')];
    scenario(history).when(setTarget(3)).then([targetSet(3, 8), warned(1, 4, 3, 'limit', null)]);
  });

  it('re-arms a threshold when a raised limit brings the use below it, and warns at the next crossing', () => {
    const history = [targetSet(4), recorded('i1', 2), warned(0.5, 2, 4, 'incident', 'i1'), targetSet(10, 4)];
    expect(controlTargetDecider.decide(report('i2', 1), history.reduce(controlTargetDecider.evolve, controlTargetDecider.initialState))).toEqual([recorded('i2', 1)]);
    scenario([...history, recorded('i2', 1)]).when(report('i3', 2)).then([recorded('i3', 2), warned(0.5, 5, 10, 'incident', 'i3')]);
  });

  it('treats a zero limit (零指标) as crossed by any use, with no ratio', () => {
    scenario([targetSet(0)]).when(report('i2', 1)).then([recorded('i2', 1), warned(0.5, 1, 0), warned(1, 1, 0)]);
    expect([crossed(1, 0, 0), crossed(1, 1, 0), crossed(0.5, 1, null)]).toEqual([false, true, false]);
    expect([ratioOf(6, 3), ratioOf(1, 0), ratioOf(1, null)]).toEqual([2, null, null]);
  });

  it('uses the thresholds it is given (configuration), each once', () => {
    scenario([targetSet(10)]).when(report('i2', 8, { thresholds: [0.8, 0.8, 1] })).then([recorded('i2', 8), warned(0.8, 8, 10)]);
  });
});
