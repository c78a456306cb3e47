import { verifySeal } from '@app/ledger';
import { bulletinInconsistencies } from '../domain/bulletin';

export interface BulletinVerification {
  ok: boolean;
  period: string | null;
  /** The key the seal was checked with (the reply's own, or the one the reader trusts). */
  keyId: string | null;
  seal: { ok: boolean; detail?: string };
  /** Numbers that do not follow from the bulletin's own counts and rule: which one was changed. */
  inconsistencies: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a saved `GET /bulletins/{period}` reply offline: the seal over the document (any changed
 * character breaks it), then whether its numbers follow from its counts. With `trustedPublicKey`
 * the seal must verify under that key, not merely under the key the reply carries (someone who
 * rewrote the numbers could re-seal them with a key of their own).
 */
export function verifyBulletinReply(reply: unknown, trustedPublicKey?: string): BulletinVerification {
  if (!isRecord(reply) || !isRecord(reply.document)) return { ok: false, period: null, keyId: null, seal: { ok: false, detail: 'not a bulletin reply: no document' }, inconsistencies: [] };
  const document = reply.document;
  const period = typeof document.period === 'string' ? document.period : null;
  const publicKey = trustedPublicKey ?? (typeof reply.publicKey === 'string' ? reply.publicKey : '');
  const seal = verifySeal(reply.seal, publicKey, document);
  const inconsistencies = bulletinInconsistencies(document);
  if (reply.period !== period) inconsistencies.unshift(`the reply names period ${String(reply.period)}, the sealed document ${String(period)}`);
  const keyId = isRecord(reply.seal) && typeof reply.seal.keyId === 'string' ? reply.seal.keyId : null;
  return { ok: seal.ok && inconsistencies.length === 0, period, keyId, seal, inconsistencies };
}
