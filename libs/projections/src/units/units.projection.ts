import type { RecordedEvent } from '@app/event-store';
import type { UnitEvent } from '@app/units';
import type { Projection, SqlClient } from '../runner/projection';

/** rm_units and rm_unit_posts from the units context's events. */
export const unitsProjection: Projection = {
  name: 'units.v1',
  eventTypes: ['units.unit-registered.v1', 'units.post-assigned.v1', 'units.post-ended.v1'],
  tables: ['rm_units', 'rm_unit_posts'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as UnitEvent;
      switch (event.type) {
        case 'units.unit-registered.v1': {
          const { unitId, name, kind, parentId } = event.data;
          await sql.query(
            `INSERT INTO rm_units (unit_id, name, kind, parent_id, registered_at, version, position) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [unitId, name, kind, parentId, recorded.metadata.occurredAt, recorded.streamVersion, recorded.position],
          );
          continue;
        }
        case 'units.post-assigned.v1': {
          const { unitId, personId, name, post, from } = event.data;
          await sql.query(`INSERT INTO rm_unit_posts (unit_id, person_id, name, post, from_at) VALUES ($1, $2, $3, $4, $5)`, [unitId, personId, name, post, from]);
          break;
        }
        case 'units.post-ended.v1': {
          const { unitId, personId, post, from, to, reason } = event.data;
          await sql.query(`UPDATE rm_unit_posts SET to_at = $5, reason = $6 WHERE unit_id = $1 AND person_id = $2 AND post = $3 AND from_at = $4`, [unitId, personId, post, from, to, reason]);
          break;
        }
      }
      await sql.query(`UPDATE rm_units SET version = $2, position = $3 WHERE unit_id = $1`, [event.data.unitId, recorded.streamVersion, recorded.position]);
    }
  },
};
