import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { digest } from './hash';
import {
  generateSigningKey, hashAlgorithmFor, isLedgerAlgorithm, keyIdOf, type LedgerAlgorithm, publicKeyPemOf, signMessage,
  verifySignature,
} from './signer';

const message = Buffer.from('checkpoint body 督办', 'utf8');

describe('signer', () => {
  it('maps each signature algorithm to its hash', () => {
    expect(hashAlgorithmFor('ed25519')).toBe('sha256');
    expect(hashAlgorithmFor('sm2')).toBe('sm3');
    expect(isLedgerAlgorithm('sm2')).toBe(true);
    expect(isLedgerAlgorithm('rsa')).toBe(false);
  });

  describe.each(['ed25519', 'sm2'] as const)('%s', (alg: LedgerAlgorithm) => {
    const pair = generateSigningKey(alg);

    it('generates PKCS#8 / SPKI PEM keys', () => {
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(publicKeyPemOf(alg, pair.privateKeyPem)).toBe(pair.publicKeyPem);
    });

    it('round-trips a signature', () => {
      const signature = signMessage(alg, pair.privateKeyPem, message);
      expect(Buffer.from(signature, 'base64').toString('base64')).toBe(signature);
      expect(verifySignature(alg, pair.publicKeyPem, message, signature)).toBe(true);
    });

    it('rejects a changed message, a changed signature, or another key', () => {
      const signature = signMessage(alg, pair.privateKeyPem, message);
      const changed = Buffer.from(message);
      changed[0] = (changed[0] as number) ^ 1;
      expect(verifySignature(alg, pair.publicKeyPem, changed, signature)).toBe(false);
      const raw = Buffer.from(signature, 'base64');
      for (const at of [0, raw.length >> 1, raw.length - 1]) {
        const bad = Buffer.from(raw);
        bad[at] = (bad[at] as number) ^ 0x80;
        expect(verifySignature(alg, pair.publicKeyPem, message, bad.toString('base64'))).toBe(false);
      }
      expect(verifySignature(alg, generateSigningKey(alg).publicKeyPem, message, signature)).toBe(false);
    });

    it('never throws on malformed input', () => {
      const signature = signMessage(alg, pair.privateKeyPem, message);
      expect(verifySignature(alg, 'not a key', message, signature)).toBe(false);
      expect(verifySignature(alg, pair.publicKeyPem, message, '')).toBe(false);
      expect(verifySignature(alg, pair.publicKeyPem, message, '!!!')).toBe(false);
      expect(verifySignature(alg, pair.publicKeyPem, message, `${signature} `)).toBe(false);
      expect(verifySignature(alg, pair.privateKeyPem, message, signature)).toBe(true); // a private key implies its public key
    });

    it('derives a 16-hex key id from the SPKI DER', () => {
      const der = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
      expect(keyIdOf(pair.publicKeyPem)).toBe(digest('sha256', der).toString('hex').slice(0, 16));
      expect(keyIdOf(pair.publicKeyPem)).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  it('refuses keys of the other algorithm', () => {
    const ed = generateSigningKey('ed25519');
    const sm2 = generateSigningKey('sm2');
    expect(() => signMessage('sm2', ed.privateKeyPem, message)).toThrow(/SM2/);
    expect(() => signMessage('ed25519', sm2.privateKeyPem, message)).toThrow(/Ed25519/);
    const edSig = signMessage('ed25519', ed.privateKeyPem, message);
    expect(verifySignature('sm2', ed.publicKeyPem, message, edSig)).toBe(false);
  });

  it('refuses a P-256 key posing as SM2', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = p256.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signMessage('sm2', pem, message)).toThrow(/SM2/);
  });

  it('produces real SM2 signatures, not ECDSA over the SM2 curve', () => {
    // The trap documented in signer.ts: the freshly generated KeyObject signs ECDSA.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const ecdsa = sign('sm3', message, privateKey);
    expect(verify('sm3', message, publicKey, ecdsa)).toBe(true);
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifySignature('sm2', publicKeyPem, message, ecdsa.toString('base64'))).toBe(false);
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sm2 = Buffer.from(signMessage('sm2', privateKeyPem, message), 'base64');
    expect(verify('sm3', message, publicKey, sm2)).toBe(false);
    expect(verifySignature('sm2', publicKeyPem, message, sm2.toString('base64'))).toBe(true);
  });
});
