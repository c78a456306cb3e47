import { z } from 'zod';
import { isResidentIdNumber } from '@app/privacy';
import type { SealedPetitioner } from '@app/supervision';
import { id, text } from '../http/fields';

/**
 * `TaskSpec.petitioner` on POST /tasks (petition cases only). The messages never repeat the value:
 * problem documents end up in logs, and an ID number must not.
 */
export const petitionerBody = z
  .object({
    // Stored in the clear in events and stream names, for ever: shredding cannot erase it.
    subjectId: id
      .refine((v) => !/^\d{7,}[\dXx]?$/.test(v), 'must not be an ID number or a phone number: it is stored unencrypted')
      .optional()
      .describe('The data subject’s id, to link tasks about the same person; generated when absent. Never an ID number or phone: it is stored unencrypted.'),
    name: text(100),
    idNumber: z.string().trim().toUpperCase().refine(isResidentIdNumber, 'must be an 18-character resident ID number (居民身份证号码) with a valid check character').optional(),
    phone: z.string().regex(/^\d{7,15}$/, 'digits only, 7 to 15 of them').optional(),
  })
  .strict();

export type PetitionerBody = z.infer<typeof petitionerBody>;

/** The plaintext fields, in the order and under the names the ciphertext is bound to. */
export type PetitionerFields = SealedPetitioner['ciphertext'];

export const petitionerFields = (p: PetitionerBody): PetitionerFields => ({ name: p.name, idNumber: p.idNumber ?? null, phone: p.phone ?? null });

/**
 * What a reader of a task gets instead of the ciphertext: the plaintext (inspectors, each read
 * logged), a redaction that says the data exists (everyone else), or that it was erased (shredded).
 */
export type PetitionerView =
  | { subjectId: string; erased: false; redacted: false; name: string; idNumber: string | null; phone: string | null }
  | { subjectId: string; erased: false; redacted: true }
  | { subjectId: string; erased: true; redacted: false };

export const PETITIONER_DOC =
  '`petitioner`: null, or for a petition case `{subjectId, erased, redacted}`: inspectors get `name`, `idNumber` and `phone` too (each such read is recorded in the access log), everyone else `redacted: true`; once the subject is shredded everyone gets `erased: true`.';
