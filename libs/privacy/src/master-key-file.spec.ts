import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateMasterKey } from './master-key-file';

describe('the personal-data master key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pii-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 32-byte key readable by its owner only, in a new folder, then reuses it', () => {
    const path = join(dir, 'privacy', 'master.key');
    const created = loadOrCreateMasterKey(path);
    expect(created).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateMasterKey(path).equals(created)).toBe(true);
  });

  it('refuses a file that is not 32 bytes of base64 instead of replacing it', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, 'not a key');
    expect(() => loadOrCreateMasterKey(path)).toThrow(/PII_MASTER_KEY_FILE/);
    writeFileSync(path, Buffer.alloc(16).toString('base64'));
    expect(() => loadOrCreateMasterKey(path)).toThrow(/32 bytes/);
    expect(readFileSync(path, 'utf8')).toBe(Buffer.alloc(16).toString('base64'));
  });
});
