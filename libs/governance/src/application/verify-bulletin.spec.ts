import { generateSigningKey, sealDocument } from '@app/ledger';
import { composeBulletin } from '../domain/bulletin';
import { DEFAULT_BULLETIN_WEIGHTS } from '../domain/bulletin-scoring';
import { unitMonth } from '../domain/month-counts.spec-helper';
import { verifyBulletinReply } from './verify-bulletin';

describe('verifying a saved bulletin offline', () => {
  const key = generateSigningKey('ed25519');
  const document = composeBulletin({
    period: '2026-05',
    units: ['chuanshan', 'hedong', 'pengxi'].map((unitId, i) => unitMonth(unitId, { dueInMonth: 2, closedOnTime: 2 - i, overdue: i })),
    weights: DEFAULT_BULLETIN_WEIGHTS,
    previous: null,
    issuedAt: '2026-06-01T02:00:00.000Z',
    issuedBy: { personId: 'p-ld', name: '联席办主任 李东' },
  });
  const reply = { period: '2026-05', document, seal: sealDocument('ed25519', key.privateKeyPem, document), publicKey: key.publicKeyPem };

  it('accepts the reply as served, through a JSON round trip, under its own key or the key the reader trusts', () => {
    const saved = JSON.parse(JSON.stringify(reply)) as unknown;
    expect(verifyBulletinReply(saved)).toEqual({ ok: true, period: '2026-05', keyId: reply.seal.keyId, seal: { ok: true }, inconsistencies: [] });
    expect(verifyBulletinReply(saved, key.publicKeyPem).ok).toBe(true);
  });

  it('fails on a changed count, naming the unit whose score no longer follows', () => {
    const text = JSON.stringify(reply).replace('"overdue":2', '"overdue":1');
    const result = verifyBulletinReply(JSON.parse(text));
    expect(result).toMatchObject({ ok: false, seal: { ok: false, detail: expect.stringContaining('changed after it was sealed') } });
    expect(result.inconsistencies[0]).toMatch(/^units\[pengxi\]\.score is 90, but .* give 95$/);
  });

  it('fails when re-sealed with another key and checked against the trusted one, and on a reply that is not a bulletin', () => {
    const other = generateSigningKey('ed25519');
    const forged = { ...reply, seal: sealDocument('ed25519', other.privateKeyPem, document), publicKey: other.publicKeyPem };
    expect(verifyBulletinReply(forged).ok).toBe(true);
    expect(verifyBulletinReply(forged, key.publicKeyPem).seal).toEqual({ ok: false, detail: expect.stringContaining('not by the given key') });
    expect(verifyBulletinReply({ items: [] })).toMatchObject({ ok: false, seal: { ok: false, detail: 'not a bulletin reply: no document' } });
  });
});
