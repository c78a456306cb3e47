import { canonicalize } from './canonical-json';
import { type CheckpointBody, checkpointBodyOf, type SignedCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint';
import { digest } from './hash';
import { generateSigningKey, keyIdOf, type LedgerAlgorithm, verifySignature } from './signer';

describe.each(['ed25519', 'sm2'] as const)('checkpoints (%s)', (algorithm: LedgerAlgorithm) => {
  const key = generateSigningKey(algorithm);
  const keyId = keyIdOf(key.publicKeyPem);
  const root = (n: number): string => digest('sha256', `root ${n}`).toString('hex');

  function chain(): SignedCheckpoint[] {
    const out: SignedCheckpoint[] = [];
    for (let seq = 1; seq <= 3; seq += 1) {
      const body: CheckpointBody = {
        seq,
        treeSize: seq * 100,
        lastPosition: seq * 120,
        rootHash: root(seq),
        prevCheckpointHash: out[seq - 2]?.checkpointHash ?? null,
        algorithm,
        keyId,
        createdAt: `2025-01-0${seq}T00:00:00.000Z`,
      };
      out.push(signCheckpoint(body, key.privateKeyPem));
    }
    return out;
  }

  const [first, second, third] = chain() as [SignedCheckpoint, SignedCheckpoint, SignedCheckpoint];

  it('signs the canonical body and hashes it with the matching hash', () => {
    const bytes = Buffer.from(canonicalize(checkpointBodyOf(first)), 'utf8');
    const alg = algorithm === 'sm2' ? 'sm3' : 'sha256';
    expect(first.checkpointHash).toBe(digest(alg, bytes).toString('hex'));
    expect(verifySignature(algorithm, key.publicKeyPem, bytes, first.signature)).toBe(true);
  });

  it('verifies a valid chain of three', () => {
    expect(verifyCheckpoint(first, key.publicKeyPem, null)).toEqual({ ok: true });
    expect(verifyCheckpoint(second, key.publicKeyPem, first)).toEqual({ ok: true });
    expect(verifyCheckpoint(third, key.publicKeyPem, second)).toEqual({ ok: true });
    expect(verifyCheckpoint(third, key.publicKeyPem)).toEqual({ ok: true });
  });

  it('ignores extra properties of a stored record', () => {
    const stored = { ...second, publicKey: key.publicKeyPem, id: 42 };
    expect(verifyCheckpoint(stored, key.publicKeyPem, first)).toEqual({ ok: true });
  });

  it.each<[keyof SignedCheckpoint, unknown]>([
    ['seq', 3],
    ['treeSize', 201],
    ['lastPosition', 241],
    ['rootHash', 'ff'.repeat(32)],
    ['prevCheckpointHash', 'ee'.repeat(32)],
    ['createdAt', '2025-01-02T00:00:00.001Z'],
    ['checkpointHash', 'dd'.repeat(32)],
  ])('fails when %s is changed', (field, value) => {
    const tampered = { ...second, [field]: value } as SignedCheckpoint;
    const result = verifyCheckpoint(tampered, key.publicKeyPem);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('hash_mismatch');
  });

  it('fails when the algorithm or key id is changed', () => {
    const other = algorithm === 'sm2' ? 'ed25519' : 'sm2';
    expect(verifyCheckpoint({ ...second, algorithm: other }, key.publicKeyPem).ok).toBe(false);
    expect(verifyCheckpoint({ ...second, keyId: '0123456789abcdef' }, key.publicKeyPem)).toMatchObject({ ok: false, reason: 'key_id_mismatch' });
  });

  it('fails when the signature is changed or comes from another key', () => {
    const raw = Buffer.from(second.signature, 'base64');
    raw[5] = (raw[5] as number) ^ 1;
    expect(verifyCheckpoint({ ...second, signature: raw.toString('base64') }, key.publicKeyPem)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyCheckpoint({ ...second, signature: third.signature }, key.publicKeyPem).reason).toBe('bad_signature');
    const other = generateSigningKey(algorithm);
    expect(verifyCheckpoint(second, other.publicKeyPem).reason).toBe('key_id_mismatch');
    // A forger who also rewrites keyId to their own key still needs the signature to match that key.
    const forged = signCheckpoint({ ...checkpointBodyOf(second), keyId: keyIdOf(other.publicKeyPem) }, other.privateKeyPem);
    expect(verifyCheckpoint(forged, key.publicKeyPem).reason).toBe('key_id_mismatch');
  });

  it('fails on a wrong link', () => {
    expect(verifyCheckpoint(third, key.publicKeyPem, first)).toMatchObject({ ok: false, reason: 'broken_link' });
    expect(verifyCheckpoint(second, key.publicKeyPem, null)).toMatchObject({ ok: false, reason: 'broken_link' });
    const resigned = (change: Partial<CheckpointBody>): SignedCheckpoint =>
      signCheckpoint({ ...checkpointBodyOf(second), ...change }, key.privateKeyPem);
    expect(verifyCheckpoint(resigned({ seq: 3 }), key.publicKeyPem, first).detail).toMatch(/seq 3 follows seq 1/);
    expect(verifyCheckpoint(resigned({ treeSize: 99 }), key.publicKeyPem, first).detail).toMatch(/treeSize/);
    expect(verifyCheckpoint(resigned({ lastPosition: 119 }), key.publicKeyPem, first).detail).toMatch(/lastPosition/);
    expect(verifyCheckpoint(resigned({ treeSize: 100, lastPosition: 120 }), key.publicKeyPem, first)).toEqual({ ok: true });
  });

  it('reports malformed records instead of throwing', () => {
    const broken = { ...second, rootHash: 'xyz' };
    expect(verifyCheckpoint(broken, key.publicKeyPem)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyCheckpoint({ ...second, treeSize: -1 }, key.publicKeyPem).reason).toBe('malformed');
    expect(verifyCheckpoint(second, 'not a key').reason).toBe('key_id_mismatch');
  });

  it('refuses to sign a body whose keyId is not the signing key', () => {
    expect(() => signCheckpoint({ ...checkpointBodyOf(first), keyId: 'ffffffffffffffff' }, key.privateKeyPem)).toThrow(/keyId/);
    expect(() => signCheckpoint({ ...checkpointBodyOf(first), seq: 1.5 }, key.privateKeyPem)).toThrow(/seq/);
  });
});
