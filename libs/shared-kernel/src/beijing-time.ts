const OFFSET_MS = 8 * 3_600_000;
const SEEN_LIMIT = 50_000;
const seen = new Map<string, string>();

/** An instant as ISO 8601 in Beijing time (API.md: responses use +08:00), e.g. 2026-06-30T17:00:00.000+08:00. */
export function toBeijingIso(instant: Date | string): string {
  if (typeof instant !== 'string') return format(instant);
  // Read models hand out the same stored instants over and over (deadlines on every board).
  let known = seen.get(instant);
  if (known === undefined) {
    known = format(instant);
    if (seen.size >= SEEN_LIMIT) seen.clear();
    seen.set(instant, known);
  }
  return known;
}

function format(instant: Date | string): string {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return `${new Date(ms + OFFSET_MS).toISOString().slice(0, -1)}+08:00`;
}
