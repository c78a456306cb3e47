import { uuidv5, type DomainEvent } from '@app/shared-kernel';
import type { BulletinUnitRow, BulletinWeights } from './bulletin-scoring';

/** A unit in the last places of two consecutive bulletins, to be called to an interview (约谈). */
export interface InterviewFlag {
  unitId: string;
  /** The previous month and this one. */
  periods: [string, string];
  /** Its rank in each. */
  ranks: [number, number];
}

export const BULLETIN_FORMAT = 'supervision-ledger/monthly-bulletin';
export const BULLETIN_FORMAT_VERSION = 1;

/**
 * PERSISTED FORMAT. The monthly bulletin (月通报) exactly as issued: every number it shows and the
 * rule that produced them, times in +08:00. It is sealed as a whole with the ledger key and never
 * recomputed: later corrections of the data it was computed from change nothing in it.
 */
export interface BulletinDocument {
  format: typeof BULLETIN_FORMAT;
  formatVersion: typeof BULLETIN_FORMAT_VERSION;
  period: string;
  /** The month, Beijing time: from included, to excluded. */
  from: string;
  to: string;
  issuedAt: string;
  issuedBy: { personId: string; name: string };
  scoring: { base: number; weights: BulletinWeights; lastPlaces: number; rule: string; ties: string };
  /** Every registered member unit, best first. */
  units: BulletinUnitRow[];
  interviewFlags: InterviewFlag[];
}

/** The ledger key's seal over the document (algorithm, key id, digest and signature of its canonical JSON). */
export interface DocumentSeal {
  algorithm: string;
  keyId: string;
  digest: string;
  signature: string;
}

/** The bulletin frozen as issued, with its seal and the public key that checks it. */
export type BulletinIssued = DomainEvent<'governance.bulletin-issued.v1', { period: string; document: BulletinDocument; seal: DocumentSeal; publicKey: string }>;

/** Recorded once, with the bulletin that flags the unit; the office_lead then records the interview (POST /interviews). */
export type InterviewFlagged = DomainEvent<'governance.interview-flagged.v1', { period: string; unitId: string; periods: [string, string]; ranks: [number, number] }>;

export type BulletinEvent = BulletinIssued | InterviewFlagged;

export const BULLETIN_EVENT_TYPES: readonly BulletinEvent['type'][] = ['governance.bulletin-issued.v1', 'governance.interview-flagged.v1'];

/** `governance.bulletin-<YYYY-MM>`: one stream per month, created once (expected version no_stream). */
export const bulletinStreamId = (period: string): string => `governance.bulletin-${period}`;

/**
 * Ids derived from the month (and the unit): the one issue event of a month has one id in the whole
 * log, known before it is written, so the reply can name it.
 */
export const bulletinEventId = (period: string): string => uuidv5(`governance.bulletin-issued.v1\n${period}`);
export const interviewFlagEventId = (period: string, unitId: string): string => uuidv5(`governance.interview-flagged.v1\n${period}\n${unitId}`);

/** The id of one of a bulletin's events. */
export function bulletinEventIdOf(event: BulletinEvent): string {
  return event.type === 'governance.bulletin-issued.v1' ? bulletinEventId(event.data.period) : interviewFlagEventId(event.data.period, event.data.unitId);
}
