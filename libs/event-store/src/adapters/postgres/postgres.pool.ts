import { Pool, types } from 'pg';

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

/**
 * Timestamps come back as PostgreSQL's text (UTC, see `options`) and are turned into ISO strings
 * without building Date objects; bigints (positions) as numbers, which are exact below 2^53.
 */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMPTZ_OID) return toIsoUtc;
  if (oid === INT8_OID) return Number;
  return types.getTypeParser(oid, format as 'text');
}

/** '2026-11-22 04:38:48.12+00' → '2026-11-22T04:38:48.120Z' */
export function toIsoUtc(text: string): string {
  const t = text.indexOf(' ');
  const plus = text.lastIndexOf('+');
  const body = text.slice(t + 1, plus > t ? plus : undefined);
  const dot = body.indexOf('.');
  const hms = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '000' : body.slice(dot + 1, dot + 4).padEnd(3, '0');
  return `${text.slice(0, t)}T${hms}.${frac}Z`;
}

/**
 * `genericPlans` is for the append connections, which run only the append statement: re-planning
 * it on every call (what the default may settle on) costs more than running it, and its cached plan
 * must not depend on statistics. Analysed while the log was empty, they make sequential scans look
 * free, and a plan cached then slowed appends about fourfold as the log grew (measured), so these
 * connections do not consider sequential scans at all. Reads keep PostgreSQL's usual choice.
 */
export function createPool(connectionString: string, max: number, genericPlans = false): Pool {
  return new Pool({
    connectionString,
    max,
    types: { getTypeParser: typeParser } as unknown as typeof types,
    options: genericPlans ? '-c TimeZone=UTC -c plan_cache_mode=force_generic_plan -c enable_seqscan=off' : '-c TimeZone=UTC',
  });
}
