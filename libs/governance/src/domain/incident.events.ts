import { toBeijingIso, uuidv5, type DomainEvent } from '@app/shared-kernel';

/** 越级访, 集体访, 进京访, 赴省访, other: the incidents a jurisdiction records, and the metrics its control targets count. */
export const INCIDENT_KINDS = ['skip_level_visit', 'collective_visit', 'beijing_visit', 'province_visit', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * An incident a unit is charged with: how many persons (人次) took part, when it happened and when it
 * was reported (迟报 shows in the gap), and the Beijing calendar year whose control target it counts
 * against. Recorded in the stream of that unit's target for the kind and year (see
 * control-target.events.ts), so that counting it and warning about it are one atomic append.
 */
export type IncidentRecorded = DomainEvent<
  'governance.incident-recorded.v1',
  { incidentId: string; unitId: string; kind: IncidentKind; persons: number; occurredAt: string; reportedAt: string; year: number; summary: string; recordedAt: string }
>;

/** The Beijing calendar year an instant falls in (a target's year runs 1 January to 31 December, Asia/Shanghai). */
export const beijingYear = (instant: string): number => Number(toBeijingIso(instant).slice(0, 4));

/**
 * The id of an incident's one IncidentRecorded event, derived from the incident id: the same id
 * can be recorded once in the whole log, whichever unit, kind or year a second attempt names.
 */
export const incidentEventId = (incidentId: string): string => uuidv5(`governance.incident-recorded.v1\n${incidentId}`);
