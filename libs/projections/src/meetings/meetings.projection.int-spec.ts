import type { RecordedEvent } from '@app/event-store';
import type { MeetingEvent } from '@app/meetings';
import { migratedDatabase } from '../testing/migrated-database';
import { meetingsProjection } from './meetings.projection';

const recorded = (event: MeetingEvent, streamVersion: number, position: number): RecordedEvent => ({
  ...event,
  eventId: `e-${position}`,
  schemaVersion: 1,
  metadata: { actor: { personId: 'p-office', name: '联席办', unitId: null, roles: ['office'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-03-10T02:00:00.000Z' },
  streamId: 'meetings.meeting-m1',
  streamVersion,
  position,
  recordedAt: '2026-03-10T02:00:00.000Z',
  hash: 'h',
  prevHash: null,
});

const events = [
  recorded({ type: 'meetings.meeting-held.v1', data: { meetingId: 'm1', title: '专题会议', kind: 'thematic', convenorId: 'p-chen', convenorName: '陈书记', heldAt: '2026-03-10T01:00:00.000Z', attendees: [{ personId: 'p-li', name: '李娜', unitId: null }] } }, 1, 10),
  recorded({ type: 'meetings.decision-recorded.v1', data: { meetingId: 'm1', decisionId: 'd1', text: '议定', deciders: ['p-chen'], participants: ['p-li'], dissents: [{ personId: 'p-li', opinion: '反对' }], taskIds: ['t1'] } }, 2, 11),
];

describe('meetings projection', () => {
  const db = migratedDatabase('proj_meetings');

  it('keeps lists as JSON and leaves the read model unchanged when a batch is applied again', async () => {
    await meetingsProjection.apply(events, db.sql);
    await meetingsProjection.apply(events, db.sql);
    const meetings = (await db.sql.query('SELECT id, attendees, version, position FROM rm_meetings')).rows;
    expect(meetings).toEqual([{ id: 'm1', attendees: [{ personId: 'p-li', name: '李娜', unitId: null }], version: 2, position: '11' }]);
    const decisions = (await db.sql.query('SELECT decision_id, deciders, dissents, task_ids FROM rm_meeting_decisions')).rows;
    expect(decisions).toEqual([{ decision_id: 'd1', deciders: ['p-chen'], dissents: [{ personId: 'p-li', opinion: '反对' }], task_ids: ['t1'] }]);
  });
});
