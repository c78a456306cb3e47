import { generateSigningKey, type LedgerAlgorithm } from './signer';
import { sealDocument, verifySeal } from './seal';

describe('seals over whole documents', () => {
  const document = { kind: 'bulletin', month: '2026-10', units: [{ unitId: 'chuanshan', score: 91.5, rank: 1 }] };

  it.each(['ed25519', 'sm2'] as const)('a sealed document verifies under its key, in any key order (%s)', (alg: LedgerAlgorithm) => {
    const key = generateSigningKey(alg);
    const seal = sealDocument(alg, key.privateKeyPem, document);
    expect(seal).toMatchObject({ algorithm: alg, keyId: expect.stringMatching(/^[0-9a-f]{16}$/), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const reordered = { units: [{ rank: 1, score: 91.5, unitId: 'chuanshan' }], month: '2026-10', kind: 'bulletin' };
    expect(verifySeal(seal, key.publicKeyPem, reordered)).toEqual({ ok: true });
  });

  it('fails on a changed number, another key, a forged signature or no seal at all', () => {
    const key = generateSigningKey('ed25519');
    const seal = sealDocument('ed25519', key.privateKeyPem, document);
    const changed = { ...document, units: [{ unitId: 'chuanshan', score: 91.6, rank: 1 }] };
    expect(verifySeal(seal, key.publicKeyPem, changed)).toEqual({ ok: false, detail: expect.stringContaining('changed after it was sealed') });
    expect(verifySeal(seal, generateSigningKey('ed25519').publicKeyPem, document)).toEqual({ ok: false, detail: expect.stringContaining(`sealed by key ${seal.keyId}`) });
    const other = generateSigningKey('ed25519');
    const forged = { ...sealDocument('ed25519', other.privateKeyPem, document), keyId: seal.keyId };
    expect(verifySeal(forged, key.publicKeyPem, document)).toEqual({ ok: false, detail: 'the signature does not verify' });
    expect(verifySeal(undefined, key.publicKeyPem, document)).toEqual({ ok: false, detail: 'the seal is missing or malformed' });
  });
});
