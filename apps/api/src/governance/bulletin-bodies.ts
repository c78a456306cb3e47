import { z } from 'zod';
import { FIRST_BULLETIN_YEAR, isPeriod, LAST_BULLETIN_YEAR } from '@app/governance';

/** A month that has not ended yet is the domain's to refuse (422 PERIOD_NOT_ENDED). */
export const issueBulletin = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'a month YYYY-MM', abort: true })
      .refine(isPeriod, `a month from ${FIRST_BULLETIN_YEAR}-01 to ${LAST_BULLETIN_YEAR}-12`),
  })
  .strict();
