import { z } from 'zod';
import { DECISION_FORMS, FOLLOW_UP_KINDS, LIABILITIES } from '@app/accountability';
import { id, instant, text } from '../http/fields';

/** Events are named by their UUID; stored ids are lowercase. */
const eventId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'an event id (UUID)')
  .transform((s) => s.toLowerCase());

/**
 * A subject with neither personId nor unitId, an empty subject list, or a case with neither findings
 * nor evidence are the domain's rules to refuse (422 with their codes), not malformed bodies.
 */
const subject = z.object({ personId: id.nullable().optional(), unitId: id.nullable().optional(), liability: z.enum(LIABILITIES) }).strict();

export const openCase = z
  .object({
    id: id.optional(),
    title: text(200),
    findingIds: z.array(id).max(100).optional(),
    evidenceEventIds: z.array(eventId).max(200).optional(),
    subjects: z.array(subject).max(100),
  })
  .strict();

/** Empty forms or subjects are refused by the domain (FORMS_REQUIRED, DECISION_SUBJECTS_REQUIRED). */
export const recordCaseDecision = z
  .object({
    decisionId: id.optional(),
    forms: z.array(z.enum(DECISION_FORMS)).max(DECISION_FORMS.length * 2),
    subjects: z.array(id).max(100),
    basis: text(2000),
    decidedAt: instant.optional(),
  })
  .strict();

export const recordFollowUp = z
  .object({
    kind: z.enum(FOLLOW_UP_KINDS),
    note: text(2000),
    obligationId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'an obligation id as the case shows it')
      .optional(),
  })
  .strict();
