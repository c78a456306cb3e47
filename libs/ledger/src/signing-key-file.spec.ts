import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signMessage, verifySignature } from './signer';
import { loadOrCreateSigningKey } from './signing-key-file';

describe('loadOrCreateSigningKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['ed25519', 'sm2'] as const)('creates a 0600 %s key in a new folder, then reuses it', (alg) => {
    const path = join(dir, 'nested', 'keys', `${alg}.pem`);
    const created = loadOrCreateSigningKey(path, alg);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(created.privateKeyPem);
    expect(created.keyId).toMatch(/^[0-9a-f]{16}$/);

    const loaded = loadOrCreateSigningKey(path, alg);
    expect(loaded).toEqual(created);
    const signature = signMessage(alg, loaded.privateKeyPem, Buffer.from('x'));
    expect(verifySignature(alg, created.publicKeyPem, Buffer.from('x'), signature)).toBe(true);
  });

  it('refuses an existing key of the other algorithm instead of replacing it', () => {
    const path = join(dir, 'key.pem');
    loadOrCreateSigningKey(path, 'ed25519');
    const before = readFileSync(path, 'utf8');
    expect(() => loadOrCreateSigningKey(path, 'sm2')).toThrow(/not a usable sm2 private key/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses a corrupt key file', () => {
    const path = join(dir, 'key.pem');
    writeFileSync(path, 'garbage');
    expect(() => loadOrCreateSigningKey(path, 'ed25519')).toThrow(/not a usable ed25519 private key/);
  });
});
