import type { RecordedEvent } from '@app/event-store';
import { periodBounds, type BulletinIssued } from '@app/governance';
import type { Projection, SqlClient } from '../runner/projection';

const BULLETIN_ISSUED: BulletinIssued['type'] = 'governance.bulletin-issued.v1';

/**
 * What GET /bulletins/{period} serves: the frozen document, its seal and the public key, as the
 * event holds them, and where the event is. Nothing but the issue event feeds it, so no later
 * event can change a reply.
 */
export interface BulletinReply {
  period: string;
  document: BulletinIssued['data']['document'];
  seal: BulletinIssued['data']['seal'];
  publicKey: string;
  streamId: string;
  eventId: string;
}

/** rm_bulletins: one row per issued bulletin, written once (a replayed batch inserts nothing). */
export const bulletinsProjection: Projection = {
  name: 'bulletins.v1',
  eventTypes: [BULLETIN_ISSUED],
  tables: ['rm_bulletins'],

  async apply(events: readonly RecordedEvent[], sql: SqlClient): Promise<void> {
    for (const e of events) {
      if (e.type !== BULLETIN_ISSUED) continue;
      const { period, document, seal, publicKey } = (e as RecordedEvent<BulletinIssued['data']>).data;
      const reply: BulletinReply = { period, document, seal, publicKey, streamId: e.streamId, eventId: e.eventId };
      await sql.query(
        `INSERT INTO rm_bulletins (period, period_start, issued_at, issued_by, unit_count, flagged_unit_ids, event_id, reply, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (period) DO NOTHING`,
        [period, periodBounds(period).from, document.issuedAt, document.issuedBy, document.units.length, document.interviewFlags.map((f) => f.unitId), e.eventId, JSON.stringify(reply), e.position],
      );
    }
  },
};
