import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { TokenService } from './token.service';

const principal = { personId: 'p-1', name: '王芳', unitId: null, roles: ['office' as const] };

describe('TokenService', () => {
  it('keeps the dev secret in DATA_DIR (owner-only), so dev tokens survive a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sl-auth-'));
    const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'dev' });
    const token = await TokenService.fromConfig(config).issue(principal);
    expect(statSync(join(dataDir, 'auth', 'dev-token.secret')).mode & 0o777).toBe(0o600);
    await expect(TokenService.fromConfig(config).verify(token)).resolves.toEqual(principal);
    const elsewhere = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sl-auth-')), AUTH_MODE: 'dev' });
    await expect(TokenService.fromConfig(elsewhere).verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('issues no tokens in jwt mode', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x/y', AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'a-secret-of-at-least-thirty-two-chars!!' });
    await expect(TokenService.fromConfig(config).issue(principal)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('remembers a verified token, but never a tampered one or one past its expiry', async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sl-auth-')), AUTH_MODE: 'dev' });
    const tokens = TokenService.fromConfig(config);
    const token = await tokens.issue(principal);
    await expect(tokens.verify(token)).resolves.toEqual(principal);
    await expect(tokens.verify(token)).resolves.toEqual(principal);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['admin'] })).toString('base64url');
    await expect(tokens.verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    jest.useFakeTimers({ now: Date.now() + 13 * 3_600_000, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    } finally {
      jest.useRealTimers();
    }
  });
});
