/** The stream of a data subject's lifecycle events: `pii.subject-<subjectId>`. */
export const subjectStreamId = (subjectId: string): string => `pii.subject-${subjectId}`;

export const SUBJECT_SHREDDED = 'pii.subject-shredded.v1';

/**
 * A subject's key was destroyed (crypto-shredding): from then on its personal data reads as erased.
 * Says who, when and which subject, and nothing about the person.
 */
export interface SubjectShreddedData {
  subjectId: string;
  reason: string | null;
  at: string;
}
