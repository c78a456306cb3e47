import { DomainError, type Decider } from '@app/shared-kernel';
import type { ControlTargetEvent, ControlTargetWarningRaised, WarningCause } from './control-target.events';
import { decideIncident, type IncidentReport } from './incident.decider';
import type { IncidentKind } from './incident.events';

/** A unit's use of one metric in one year, against its limit when one is set. */
export interface ControlTargetState {
  unitId: string;
  metric: IncidentKind | null;
  year: number;
  /** null until the office sets a target: incidents are counted all the same. */
  limit: number | null;
  /** Persons (人次) of the incidents counted. */
  used: number;
  incidentIds: string[];
  /**
   * Thresholds the use is at or past and that have been warned about. A raised limit that brings the
   * use back below a threshold re-arms it, so a later crossing is warned about again.
   */
  warned: number[];
}

/**
 * `eventId`: the id the triggering event will be stored under (chosen by the handler, so that the
 * warnings can name it while the decider stays free of randomness). `thresholds`: the configured
 * warning thresholds, e.g. [0.5, 1].
 */
export type ControlTargetCommand =
  | ({ type: 'RecordIncident'; eventId: string; thresholds: readonly number[] } & IncidentReport)
  | { type: 'SetControlTarget'; unitId: string; metric: IncidentKind; year: number; limit: number; eventId: string; thresholds: readonly number[]; now: string };

export const initialControlTargetState: ControlTargetState = { unitId: '', metric: null, year: 0, limit: null, used: 0, incidentIds: [], warned: [] };

/** Whether `used` is at or past `threshold` of `limit`. A zero limit (零指标) is crossed by any use. */
export function crossed(threshold: number, used: number, limit: number | null): boolean {
  if (limit === null || used === 0) return false;
  return used >= threshold * limit;
}

/** used ÷ limit, e.g. 6 of 3 = 2 (200%); null without a limit, or for a zero limit. */
export function ratioOf(used: number, limit: number | null): number | null {
  return limit === null || limit === 0 ? null : used / limit;
}

interface Crossing {
  cause: WarningCause;
  causeEventId: string;
  incidentId: string | null;
  at: string;
}

/** One warning per configured threshold newly at or past, lowest first. */
function warnings(state: ControlTargetState, thresholds: readonly number[], crossing: Crossing): ControlTargetWarningRaised[] {
  const { unitId, metric, year, used, limit } = state;
  if (metric === null || limit === null) return [];
  return [...new Set(thresholds)]
    .sort((a, b) => a - b)
    .filter((t) => crossed(t, used, limit) && !state.warned.includes(t))
    .map((threshold) => ({
      type: 'governance.control-target-warning-raised.v1',
      data: { unitId, metric, year, threshold, used, limit, cause: crossing.cause, causeEventId: crossing.causeEventId, incidentId: crossing.incidentId, raisedAt: crossing.at },
    }));
}

export function evolveControlTarget(state: ControlTargetState, event: ControlTargetEvent): ControlTargetState {
  switch (event.type) {
    case 'governance.incident-recorded.v1': {
      const { unitId, kind, year, persons, incidentId } = event.data;
      return { ...state, unitId, metric: kind, year, used: state.used + persons, incidentIds: [...state.incidentIds, incidentId] };
    }
    case 'governance.control-target-set.v1': {
      const { unitId, metric, year, limit } = event.data;
      return { ...state, unitId, metric, year, limit, warned: state.warned.filter((t) => crossed(t, state.used, limit)) };
    }
    case 'governance.control-target-warning-raised.v1':
      return { ...state, warned: [...state.warned, event.data.threshold].sort((a, b) => a - b) };
  }
}

function recordIncident(state: ControlTargetState, command: Extract<ControlTargetCommand, { type: 'RecordIncident' }>): ControlTargetEvent[] {
  if (state.incidentIds.includes(command.incidentId)) throw new DomainError('conflict', 'INCIDENT_ALREADY_RECORDED', `The incident ${command.incidentId} is already on record.`);
  const recorded = decideIncident(command);
  const counted = evolveControlTarget(state, recorded);
  return [recorded, ...warnings(counted, command.thresholds, { cause: 'incident', causeEventId: command.eventId, incidentId: command.incidentId, at: command.now })];
}

function setTarget(state: ControlTargetState, command: Extract<ControlTargetCommand, { type: 'SetControlTarget' }>): ControlTargetEvent[] {
  if (!Number.isSafeInteger(command.limit) || command.limit < 0) {
    throw new DomainError('invalid', 'INVALID_LIMIT', 'limit is a whole number of persons (人次), 0 or more.', [{ field: 'limit', message: 'a whole number ≥ 0' }]);
  }
  // The same limit again changes nothing, so nothing is recorded.
  if (command.limit === state.limit) return [];
  const { unitId, metric, year, limit, now } = command;
  const set: ControlTargetEvent = { type: 'governance.control-target-set.v1', data: { unitId, metric, year, limit, previousLimit: state.limit, setAt: now } };
  return [set, ...warnings(evolveControlTarget(state, set), command.thresholds, { cause: 'limit', causeEventId: command.eventId, incidentId: null, at: now })];
}

/**
 * 控制指标: incidents count against their unit's yearly target for their kind; reaching a threshold
 * of the limit raises a warning, once per crossing. Targets are indicators: nothing here (or
 * anywhere) sanctions a unit automatically.
 */
export const controlTargetDecider: Decider<ControlTargetCommand, ControlTargetEvent, ControlTargetState> = {
  initialState: initialControlTargetState,
  evolve: evolveControlTarget,
  decide(command, state) {
    switch (command.type) {
      case 'RecordIncident':
        return recordIncident(state, command);
      case 'SetControlTarget':
        return setTarget(state, command);
    }
  },
};
