import { z } from 'zod';
import { RECOMMENDATION_KINDS } from '@app/governance';
import { id, instant, text } from '../http/fields';

/** An answer deadline not in the future is the domain's to refuse (422 ANSWER_DUE_IN_PAST). */
export const makeRecommendation = z
  .object({
    id: id.optional(),
    unitId: id,
    kind: z.enum(RECOMMENDATION_KINDS),
    text: text(4000),
    answerDueAt: instant,
  })
  .strict();

export const answerRecommendation = z.object({ text: text(4000), adopted: z.boolean() }).strict();
