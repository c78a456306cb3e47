import { z } from 'zod';
import { id, instant, text } from '../http/fields';

/** A Beijing calendar day, YYYY-MM-DD (a real date: 2026-02-30 is refused). */
const day = z.iso.date();

/**
 * An empty unit list, a unit listed twice, to before from, a window longer than 92 days or one whose
 * first cut-off has passed are the domain's rules to refuse (422 with their codes), not malformed bodies.
 */
export const openReportingWindow = z
  .object({
    id: id.optional(),
    name: text(200),
    from: day,
    to: day,
    cutoff: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:mm, Beijing time')
      .optional(),
    unitIds: z.array(id).max(500),
  })
  .strict();

const item = z.object({ summary: text(2000), occurredAt: instant.optional() }).strict();

/** nil with items, or neither nil nor items, is refused by the domain (NIL_REPORT_WITH_ITEMS, ITEMS_REQUIRED). */
export const fileDailyReport = z
  .object({
    date: day,
    nil: z.boolean(),
    items: z.array(item).max(100).optional(),
  })
  .strict();
