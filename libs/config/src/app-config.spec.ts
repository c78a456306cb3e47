import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded database, dev auth, postgres event store and ed25519', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, eventStore: 'postgres', authMode: 'dev', clockMode: 'system', ledgerAlgorithm: 'ed25519', projector: 'inline' });
    expect(c.ledgerKeyFile).toMatch(/\.data[\\/]ledger[\\/]ed25519\.key$/);
  });

  it('switches auth to jwt with an external database and then needs a secret', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/db' })).toThrow(/AUTH_JWT_SECRET or AUTH_JWKS_URL/);
    const c = loadConfig({ DATABASE_URL: 'postgres://x@h/db', AUTH_JWT_SECRET: 'x'.repeat(32) });
    expect(c.authMode).toBe('jwt');
  });

  it('reports every bad value at once, naming the variable', () => {
    try {
      loadConfig({ PORT: 'abc', EVENT_STORE: 'mongo', LEDGER_ALGORITHM: 'rsa', CLOCK_MODE: 'fast' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'EVENT_STORE', 'LEDGER_ALGORITHM', 'CLOCK_MODE']) expect(problems).toContain(name);
    }
  });

  it('needs a connection string for EventStoreDB', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).eventStore).toBe('eventstoredb');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).databaseUrl).toBeNull();
  });
});
