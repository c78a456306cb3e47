import type { DomainEvent } from '@app/shared-kernel';
import type { IncidentKind, IncidentRecorded } from './incident.events';

/** The office set (or changed) a unit's yearly limit for a metric (控制指标); earlier limits stay in the stream. */
export type ControlTargetSet = DomainEvent<
  'governance.control-target-set.v1',
  { unitId: string; metric: IncidentKind; year: number; limit: number; previousLimit: number | null; setAt: string }
>;

/** What pushed the use past a threshold: an incident, or a limit lowered below the use. */
export const WARNING_CAUSES = ['incident', 'limit'] as const;
export type WarningCause = (typeof WARNING_CAUSES)[number];

/**
 * The use of a target reached a warning threshold (e.g. 0.5 = 50%, 1 = 100%). An indicator for the
 * office and the bulletin, never a sanction. `causeEventId` is the event that crossed it (the
 * incident's, or the new limit's); `incidentId` is null when a limit crossed it.
 */
export type ControlTargetWarningRaised = DomainEvent<
  'governance.control-target-warning-raised.v1',
  { unitId: string; metric: IncidentKind; year: number; threshold: number; used: number; limit: number; cause: WarningCause; causeEventId: string; incidentId: string | null; raisedAt: string }
>;

export type ControlTargetEvent = IncidentRecorded | ControlTargetSet | ControlTargetWarningRaised;

export const CONTROL_TARGET_EVENT_TYPES: readonly ControlTargetEvent['type'][] = ['governance.incident-recorded.v1', 'governance.control-target-set.v1', 'governance.control-target-warning-raised.v1'];

/** `<unitId>-<metric>-<year>`: unambiguous read from the right, since metrics and years hold no dash. */
export const controlTargetId = (unitId: string, metric: IncidentKind, year: number): string => `${unitId}-${metric}-${year}`;

export const CONTROL_TARGET_STREAM_PREFIX = 'governance.control-target-';

/**
 * `governance.control-target-<unitId>-<metric>-<year>`: one stream per unit, metric and year, holding
 * the limits, every incident counted against it and every warning. The use and the warnings are
 * then decided on one stream with its expected version, so each threshold is crossed exactly once
 * whichever process records the incident, and an incident is never recorded without being counted.
 */
export const controlTargetStreamId = (unitId: string, metric: IncidentKind, year: number): string => `${CONTROL_TARGET_STREAM_PREFIX}${controlTargetId(unitId, metric, year)}`;
