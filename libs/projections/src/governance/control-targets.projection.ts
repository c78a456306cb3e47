import type { RecordedEvent } from '@app/event-store';
import { CONTROL_TARGET_EVENT_TYPES, CONTROL_TARGET_STREAM_PREFIX, evolveControlTarget, initialControlTargetState, type ControlTargetEvent, type ControlTargetState, type WarningCause } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

export interface LimitSetting {
  limit: number;
  previousLimit: number | null;
  setAt: string;
  setBy: { personId: string; name: string };
  eventId: string;
}

export interface RaisedWarning {
  threshold: number;
  used: number;
  limit: number;
  cause: WarningCause;
  causeEventId: string;
  incidentId: string | null;
  raisedAt: string;
  eventId: string;
}

/** The target as the decider folds it, plus its history from the log: every limit and every warning, with event ids. */
export interface StoredControlTarget extends ControlTargetState {
  limits: LimitSetting[];
  raised: RaisedWarning[];
}

interface Folded {
  view: StoredControlTarget;
  version: number;
  position: number;
}

const initial: StoredControlTarget = { ...initialControlTargetState, limits: [], raised: [] };

function fold(current: StoredControlTarget, recorded: RecordedEvent): StoredControlTarget {
  const event = { type: recorded.type, data: recorded.data } as ControlTargetEvent;
  const next: StoredControlTarget = { ...current, ...evolveControlTarget(current, event) };
  if (event.type === 'governance.control-target-set.v1') {
    const { limit, previousLimit, setAt } = event.data;
    const { personId, name } = recorded.metadata.actor;
    return { ...next, limits: [...next.limits, { limit, previousLimit, setAt, setBy: { personId, name }, eventId: recorded.eventId }] };
  }
  if (event.type === 'governance.control-target-warning-raised.v1') {
    const { threshold, used, limit, cause, causeEventId, incidentId, raisedAt } = event.data;
    return { ...next, raised: [...next.raised, { threshold, used, limit, cause, causeEventId, incidentId, raisedAt, eventId: recorded.eventId }] };
  }
  return next;
}

/**
 * rm_control_targets: each unit's use of a metric in a year, folded with the write side's own
 * `evolve` (so use and thresholds crossed are exactly what the decider warned on). A batch loads
 * the targets it touches once and writes each back once; an event already folded in is skipped.
 */
export const controlTargetsProjection: Projection = {
  name: 'control-targets.v1',
  eventTypes: CONTROL_TARGET_EVENT_TYPES,
  tables: ['rm_control_targets'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    const targetIds = [...new Set(events.map((e) => e.streamId.slice(CONTROL_TARGET_STREAM_PREFIX.length)))];
    const { rows } = await sql.query<{ target_id: string; view: StoredControlTarget; version: number; position: string }>('SELECT target_id, view, version, position FROM rm_control_targets WHERE target_id = ANY($1)', [targetIds]);
    const folded = new Map<string, Folded>(rows.map((r) => [r.target_id, { view: r.view, version: r.version, position: Number(r.position) }]));
    const changed = new Set<string>();
    for (const recorded of events) {
      const targetId = recorded.streamId.slice(CONTROL_TARGET_STREAM_PREFIX.length);
      const current = folded.get(targetId) ?? { view: initial, version: 0, position: 0 };
      if (recorded.streamVersion <= current.version) continue;
      folded.set(targetId, { view: fold(current.view, recorded), version: recorded.streamVersion, position: recorded.position });
      changed.add(targetId);
    }
    if (changed.size === 0) return;
    await sql.query(
      `INSERT INTO rm_control_targets (target_id, unit_id, metric, year, limit_value, used, warnings, view, version, position)
       SELECT target_id, unit_id, metric, year, limit_value, used, warnings, view, version, position
         FROM jsonb_to_recordset($1::jsonb) AS r(target_id text, unit_id text, metric text, year integer, limit_value integer, used integer, warnings double precision[], view jsonb, version integer, position bigint)
       ON CONFLICT (target_id) DO UPDATE SET limit_value = EXCLUDED.limit_value, used = EXCLUDED.used, warnings = EXCLUDED.warnings, view = EXCLUDED.view, version = EXCLUDED.version, position = EXCLUDED.position`,
      [
        JSON.stringify(
          [...changed].map((targetId) => {
            const { view, version, position } = folded.get(targetId) as Folded;
            return { target_id: targetId, unit_id: view.unitId, metric: view.metric, year: view.year, limit_value: view.limit, used: view.used, warnings: view.warned, view, version, position };
          }),
        ),
      ],
    );
  },
};
