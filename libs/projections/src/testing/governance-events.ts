import type { RecordedEvent } from '@app/event-store';
import type { DomainEvent, Principal } from '@app/shared-kernel';

/** A recorded event for projection int-specs: the office recorded it, at the given stream version and position. */
export const recorded = (event: DomainEvent, streamId: string, streamVersion: number, position: number): RecordedEvent => ({
  ...event,
  eventId: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
  schemaVersion: 1,
  metadata: { actor: { personId: 'p-wf', name: '联席办 王芳', unitId: null, roles: ['office'] }, correlationId: 'c', causationId: null, requestId: null, occurredAt: '2026-03-01T02:00:00.000Z' },
  streamId,
  streamVersion,
  position,
  recordedAt: '2026-03-01T02:00:00.000Z',
  hash: 'h',
  prevHash: null,
});

export const OFFICE: Principal = { personId: 'p-wf', name: '联席办 王芳', unitId: null, roles: ['office'] };
export const unitUser = (unitId: string): Principal => ({ personId: `p-${unitId}`, name: unitId, unitId, roles: ['unit'] });
