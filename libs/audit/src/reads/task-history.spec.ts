import type { RecordedEvent } from '@app/event-store';
import { caseAbout, findingAbout, meetingDecisionOf, streamsAbout, timelineOf, unitsInvolved } from './task-history';

let position = 0;
function ev(streamId: string, type: string, data: Record<string, unknown>, times: { occurredAt: string; recordedAt: string }): RecordedEvent {
  position += 1;
  return {
    eventId: `e${position}`, streamId, streamVersion: 1, position, type, schemaVersion: 1, data,
    metadata: { actor: { personId: 'p', name: 'P', unitId: null, roles: ['office'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: times.occurredAt },
    recordedAt: times.recordedAt, hash: 'h', prevHash: null,
  };
}
const t = (day: number): string => new Date(Date.UTC(2026, 0, day)).toISOString();

describe('task history', () => {
  it('reads the meeting and decision out of a meeting-decision source, and nothing out of other sources', () => {
    expect(meetingDecisionOf({ kind: 'meeting_decision', ref: 'm2/d-1' })).toEqual({ meetingId: 'm2', decisionId: 'd-1' });
    expect(meetingDecisionOf({ kind: 'upper_level', ref: 'm2/d-1' })).toBeNull();
    expect(meetingDecisionOf({ kind: 'meeting_decision', ref: null })).toBeNull();
  });

  it('involves the lead, co-units and both ends of a reassignment', () => {
    const events = [
      ev('supervision.task-a', 'supervision.task-issued.v1', { leadUnitId: 'cs', coUnitIds: ['zj'] }, { occurredAt: t(1), recordedAt: t(1) }),
      ev('supervision.task-a', 'supervision.objection-upheld.v1', { fromUnitId: 'cs', reassignTo: 'hd', outcome: 'reassigned' }, { occurredAt: t(2), recordedAt: t(2) }),
    ];
    expect(unitsInvolved(events).sort()).toEqual(['cs', 'hd', 'zj']);
  });

  it('keeps whole finding and case streams that name the task, later events included', () => {
    const events = [
      ev('findings.finding-1', 'findings.finding-detected.v1', { taskId: 'a' }, { occurredAt: t(1), recordedAt: t(1) }),
      ev('findings.finding-2', 'findings.finding-detected.v1', { taskId: 'b' }, { occurredAt: t(1), recordedAt: t(1) }),
      ev('findings.finding-1', 'findings.finding-taken-up.v1', { caseId: 'c' }, { occurredAt: t(2), recordedAt: t(2) }),
    ];
    expect(streamsAbout(events, findingAbout('a')).map((e) => e.eventId)).toEqual([events[0]?.eventId, events[2]?.eventId]);
    const cases = [
      ev('accountability.case-9', 'accountability.case-opened.v1', { taskIds: ['x', 'a'] }, { occurredAt: t(1), recordedAt: t(1) }),
      ev('accountability.case-9', 'accountability.decision-recorded.v1', {}, { occurredAt: t(2), recordedAt: t(2) }),
      ev('accountability.case-8', 'accountability.case-opened.v1', { taskIds: ['x'] }, { occurredAt: t(1), recordedAt: t(1) }),
    ];
    expect(streamsAbout(cases, caseAbout('a')).map((e) => e.streamId)).toEqual(['accountability.case-9', 'accountability.case-9']);
  });

  it('orders by record position, bounds business time by asOf and record time by knownAt', () => {
    const issued = ev('supervision.task-a', 'supervision.task-issued.v1', {}, { occurredAt: t(1), recordedAt: t(1) });
    const backdated = ev('supervision.task-a', 'supervision.progress-reported.v1', {}, { occurredAt: t(3), recordedAt: t(5) });
    const post = ev('units.unit-cs', 'units.post-assigned.v1', {}, { occurredAt: t(4), recordedAt: t(4) });
    const all = [backdated, post, issued];
    expect(timelineOf(all, {}).map((e) => e.eventId)).toEqual([issued, backdated, post].map((e) => e.eventId));
    expect(timelineOf(all, { knownAt: new Date(t(4)) }).map((e) => e.eventId)).toEqual([issued.eventId, post.eventId]);
    expect(timelineOf(all, { asOf: new Date(t(2)) }).map((e) => e.eventId)).toEqual([issued.eventId]);
    const [first] = timelineOf([issued, issued], {});
    expect(timelineOf([issued, issued], {})).toHaveLength(1);
    expect(first).toMatchObject({ occurredAt: '2026-01-01T08:00:00.000+08:00', recordedAt: '2026-01-01T08:00:00.000+08:00', streamId: 'supervision.task-a', actor: { personId: 'p' } });
  });
});
