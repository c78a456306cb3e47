import { z } from 'zod';

/** Field shapes shared by every request body, so the same thing is checked the same way everywhere. */
export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _; at most 64');
/** NUL and unpaired surrogates: JavaScript strings may hold them, PostgreSQL text and jsonb cannot. */
const storable = (s: string): boolean => !s.includes('\u0000') && !/\p{Cs}/u.test(s);
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(storable, 'must not contain NUL or unpaired surrogate characters');
/** ISO 8601 with an offset (UTC `Z` or e.g. `+08:00`), normalised to UTC. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/** The little of a response a controller writes headers through. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
