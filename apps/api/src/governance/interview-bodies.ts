import { z } from 'zod';
import { id, instant, text } from '../http/fields';

/**
 * `findings` are ids of recorded findings (none is allowed); an empty `personIds` and a deadline not
 * in the future are the domain's to refuse (422 PERSONS_REQUIRED, RECTIFICATION_DUE_IN_PAST).
 */
export const recordInterview = z
  .object({
    id: id.optional(),
    unitId: id,
    personIds: z.array(id).max(50),
    reason: text(2000),
    findings: z.array(id).max(100),
    rectificationDueAt: instant,
  })
  .strict();

export const reportRectification = z.object({ note: text(4000) }).strict();
