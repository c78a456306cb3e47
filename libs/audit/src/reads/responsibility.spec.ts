import type { RecordedEvent } from '@app/event-store';
import { responsibilityOf } from './responsibility';
import type { TaskHistory } from './task-history';

let position = 0;
function ev(streamId: string, type: string, data: Record<string, unknown>, at: string): RecordedEvent {
  position += 1;
  return {
    eventId: `e${position}`, streamId, streamVersion: position, position, type, schemaVersion: 1, data,
    metadata: { actor: { personId: 'p-office', name: '王芳', unitId: null, roles: ['office'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: at },
    recordedAt: at, hash: 'h', prevHash: null,
  };
}
const day = (n: number): string => new Date(Date.UTC(2026, 2, n)).toISOString();
const task = (type: string, data: Record<string, unknown>, at: string) => ev('supervision.task-t1', `supervision.${type}.v1`, { taskId: 't1', ...data }, at);
const unit = (type: string, data: Record<string, unknown>, at: string) => ev('units.unit-cs', `units.${type}.v1`, { unitId: 'cs', ...data }, at);

function history(taskEvents: RecordedEvent[], unitEvents: RecordedEvent[] = []): TaskHistory {
  return { taskId: 't1', task: taskEvents, meeting: [], units: new Map([['cs', unitEvents], ['hd', []]]), findings: [], accountability: [] };
}

describe('responsibilityOf', () => {
  const issued = task('task-issued', { leadUnitId: 'cs', coUnitIds: [], dueAt: day(10), caseLeader: { personId: 'p-sj', name: '副书记' } }, day(1));

  it('follows custody through a reassignment and the deadline through an approved extension', () => {
    const upheld = task('objection-upheld', { outcome: 'reassigned', fromUnitId: 'cs', reassignTo: 'hd', reason: '不属本单位职责' }, day(2));
    const extended = task('extension-decided', { approve: true, previousDueAt: day(10), dueAt: day(20), reason: '需协调土地', by: { personId: 'p-zj', name: '赵军' } }, day(5));
    const r = responsibilityOf(history([issued, upheld, extended]), new Date(day(6)));
    expect(r.custody.leadUnits.map((p) => [p.unitId, p.eventId, p.to === null])).toEqual([['cs', issued.eventId, false], ['hd', upheld.eventId, true]]);
    expect(r.custody.units.map((u) => [u.unitId, u.involvement])).toEqual([['cs', 'former_lead'], ['hd', 'lead']]);
    expect(r.custody.caseLeader).toEqual({ personId: 'p-sj', name: '副书记', eventId: issued.eventId });
    expect(r.deadlines.map((d) => [d.change, d.dueAt, d.reason, d.eventId])).toEqual([
      ['issued', '2026-03-10T08:00:00.000+08:00', null, issued.eventId],
      ['extension_approved', '2026-03-20T08:00:00.000+08:00', '需协调土地', extended.eventId],
    ]);
  });

  it('lists every case leader with the period each answered for the task; the current one is the last', () => {
    const changed = task('case-leader-changed', { previous: { personId: 'p-sj', name: '副书记' }, caseLeader: { personId: 'p-yang', name: '杨志远' }, reason: '分工调整', by: { personId: 'p-office', name: '王芳' } }, day(4));
    const r = responsibilityOf(history([issued, changed]), new Date(day(6)));
    expect(r.custody.caseLeaders).toEqual([
      { personId: 'p-sj', name: '副书记', from: '2026-03-01T08:00:00.000+08:00', to: '2026-03-04T08:00:00.000+08:00', eventId: issued.eventId, reason: null },
      { personId: 'p-yang', name: '杨志远', from: '2026-03-04T08:00:00.000+08:00', to: null, eventId: changed.eventId, reason: '分工调整' },
    ]);
    expect(r.custody.caseLeader).toEqual({ personId: 'p-yang', name: '杨志远', eventId: changed.eventId });
    expect(r.office.actions.map((a) => [a.kind, a.detail])).toEqual([['issue', null], ['case_leader_changed', '杨志远: 分工调整']]);
  });

  it('names the office’s failure to remind within two days of going overdue, and only once the window has closed', () => {
    // Recorded a day after the deadline: the two days still run from the deadline itself.
    const overdue = task('task-overdue', { dueAt: day(10) }, day(11));
    expect(responsibilityOf(history([issued, overdue]), new Date(day(11))).office.omissions).toEqual([]);
    expect(responsibilityOf(history([issued, overdue]), new Date(day(12))).office.omissions).toHaveLength(1);
    const late = responsibilityOf(history([issued, overdue]), new Date(day(13)));
    expect(late.office.omissions).toEqual([expect.objectContaining({ kind: 'overdue_not_supervised', eventId: overdue.eventId })]);
    const reminded = task('reminder-sent', { message: '请尽快办理', by: { personId: 'p-office', name: '王芳' } }, day(11));
    const supervised = responsibilityOf(history([issued, overdue, reminded]), new Date(day(13)));
    expect(supervised.office.omissions).toEqual([]);
    expect(supervised.office.actions.map((a) => a.kind)).toEqual(['issue', 'reminder']);
  });

  it('proposes the leader in post at the deadline for an overdue task, not today’s, labelled a proposal', () => {
    const posts = [
      unit('post-assigned', { personId: 'p-old', name: '旧书记', post: 'primary_leader', from: day(1) }, day(1)),
      unit('post-ended', { personId: 'p-old', post: 'primary_leader', from: day(1), to: day(8), reason: null }, day(8)),
      unit('post-assigned', { personId: 'p-new', name: '新书记', post: 'primary_leader', from: day(8) }, day(8)),
      unit('post-ended', { personId: 'p-new', post: 'primary_leader', from: day(8), to: day(12), reason: null }, day(12)),
      unit('post-assigned', { personId: 'p-today', name: '现任', post: 'primary_leader', from: day(12) }, day(12)),
    ];
    const overdue = task('task-overdue', { dueAt: day(10) }, day(10));
    const r = responsibilityOf(history([issued, overdue], posts), new Date(day(15)));
    expect(r.attribution.proposal).toBe(true);
    expect(r.attribution.lines.map((l) => [l.personId, l.liability])).toEqual([['p-new', 'leadership']]);
    expect(r.attribution.lines[0]?.evidence).toEqual([overdue.eventId, posts[2]?.eventId]);
    expect(r.custody.units.find((u) => u.unitId === 'cs')?.posts.map((p) => p.personId)).toEqual(['p-old', 'p-new', 'p-today']);
  });
});
