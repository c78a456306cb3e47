import { z } from 'zod';

/** Field shapes shared by every request body, so the same thing is checked the same way everywhere. */
export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _; at most 64');
export const text = (max: number) => z.string().trim().min(1).max(max);
/** ISO 8601 with an offset (UTC `Z` or e.g. `+08:00`), normalised to UTC. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/** The little of a response a controller writes headers through. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
