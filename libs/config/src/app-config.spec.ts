import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded database, dev auth, postgres event store and ed25519', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, eventStore: 'postgres', authMode: 'dev', clockMode: 'system', ledgerAlgorithm: 'ed25519', projector: 'inline' });
    expect(c.ledgerKeyFile).toMatch(/\.data[\\/]ledger[\\/]ed25519\.key$/);
  });

  it('keeps the personal-data master key under DATA_DIR unless PII_MASTER_KEY_FILE names it', () => {
    expect(loadConfig({ DATA_DIR: '/srv/sl' }).piiMasterKeyFile).toBe('/srv/sl/privacy/master.key');
    expect(loadConfig({ PII_MASTER_KEY_FILE: '/run/secrets/pii.key' }).piiMasterKeyFile).toBe('/run/secrets/pii.key');
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

  it('defaults the deadline windows and has no calendar overrides', () => {
    expect(loadConfig({})).toMatchObject({ signForWorkingDays: 1, objectionWorkingDays: 5, dueSoonDays: 3, findingUnsupervisedDays: 2, findingListedDays: 7, workingCalendarOverrides: { holidays: [], workdays: [] } });
    expect(loadConfig({ FINDING_UNSUPERVISED_DAYS: '3', FINDING_LISTED_DAYS: '10' })).toMatchObject({ findingUnsupervisedDays: 3, findingListedDays: 10 });
    expect(loadConfig({ SIGN_FOR_WORKING_DAYS: '2', OBJECTION_WORKING_DAYS: '7', DUE_SOON_DAYS: '0' })).toMatchObject({ signForWorkingDays: 2, objectionWorkingDays: 7, dueSoonDays: 0 });
  });

  it('reads working-calendar overrides from JSON and refuses bad ones clearly', () => {
    const c = loadConfig({ WORKING_CALENDAR_OVERRIDES: '{"holidays":["2027-02-08"],"workdays":["2027-02-20"]}' });
    expect(c.workingCalendarOverrides).toEqual({ holidays: ['2027-02-08'], workdays: ['2027-02-20'] });
    expect(loadConfig({ WORKING_CALENDAR_OVERRIDES: '{"workdays":["2027-02-20"]}' }).workingCalendarOverrides).toEqual({ holidays: [], workdays: ['2027-02-20'] });
    const problem = (value: string) => {
      try {
        loadConfig({ WORKING_CALENDAR_OVERRIDES: value });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems.join('\n');
      }
      throw new Error(`expected ${value} to be refused`);
    };
    expect(problem('{holidays:')).toMatch(/^WORKING_CALENDAR_OVERRIDES: must be JSON/);
    expect(problem('{"holidays":["2027-02-30"]}')).toMatch(/^WORKING_CALENDAR_OVERRIDES\.holidays\.0: is not a calendar date/);
    expect(problem('{"workdays":["2027/02/20"]}')).toMatch(/^WORKING_CALENDAR_OVERRIDES\.workdays\.0: must be a YYYY-MM-DD date/);
    expect(problem('{"holiday":["2027-02-08"]}')).toMatch(/^WORKING_CALENDAR_OVERRIDES: .*holiday/);
    expect(problem('{"holidays":["2027-02-08"],"workdays":["2027-02-08"]}')).toMatch(/^WORKING_CALENDAR_OVERRIDES: a day cannot be both/);
  });

  it('refuses working-day windows below one', () => {
    expect(() => loadConfig({ SIGN_FOR_WORKING_DAYS: '0', OBJECTION_WORKING_DAYS: '2.5', DUE_SOON_DAYS: '-1' })).toThrow(/SIGN_FOR_WORKING_DAYS[\s\S]*OBJECTION_WORKING_DAYS[\s\S]*DUE_SOON_DAYS/);
  });

  it('refuses findings windows below one day', () => {
    expect(() => loadConfig({ FINDING_UNSUPERVISED_DAYS: '0', FINDING_LISTED_DAYS: 'x' })).toThrow(/FINDING_UNSUPERVISED_DAYS[\s\S]*FINDING_LISTED_DAYS/);
  });

  it('gives incidents 24 hours to be reported before late_incident_report, configurable in whole hours', () => {
    expect(loadConfig({}).findingLateIncidentHours).toBe(24);
    expect(loadConfig({ FINDING_LATE_INCIDENT_HOURS: '12' }).findingLateIncidentHours).toBe(12);
    for (const bad of ['0', '1.5', 'a day', '9000']) expect(() => loadConfig({ FINDING_LATE_INCIDENT_HOURS: bad })).toThrow(/FINDING_LATE_INCIDENT_HOURS/);
  });

  it('reads control-target warning thresholds, 50% and 100% by default, and refuses bad lists', () => {
    expect(loadConfig({}).controlTargetWarnings).toEqual([0.5, 1]);
    expect(loadConfig({ CONTROL_TARGET_WARNINGS: ' 0.8, 1 ,1.5' }).controlTargetWarnings).toEqual([0.8, 1, 1.5]);
    expect(() => loadConfig({ CONTROL_TARGET_WARNINGS: '50%,100%' })).toThrow(/CONTROL_TARGET_WARNINGS\.0: must be numbers/);
    expect(() => loadConfig({ CONTROL_TARGET_WARNINGS: '0,1' })).toThrow(/CONTROL_TARGET_WARNINGS\.0: each must be above 0/);
    expect(() => loadConfig({ CONTROL_TARGET_WARNINGS: '1,0.5' })).toThrow(/CONTROL_TARGET_WARNINGS: must be ascending/);
    expect(() => loadConfig({ CONTROL_TARGET_WARNINGS: '0.5,0.5' })).toThrow(/CONTROL_TARGET_WARNINGS: must be ascending/);
  });

  it('scores bulletins with the documented default weights, replaces those BULLETIN_WEIGHTS names, and refuses bad ones naming the problem', () => {
    const defaults = { closedOnTime: 2, overdue: 5, sentBack: 2, missedProgressReports: 2, missedDailyReports: 3, incidentPersons: 1, targetsExceeded: 5, findings: 1 };
    expect(loadConfig({}).bulletinWeights).toEqual(defaults);
    expect(loadConfig({ BULLETIN_WEIGHTS: ' overdue=8, findings = 0.5 ' }).bulletinWeights).toEqual({ ...defaults, overdue: 8, findings: 0.5 });
    expect(loadConfig({ BULLETIN_WEIGHTS: 'closedOnTime=0' }).bulletinWeights.closedOnTime).toBe(0);
    expect(() => loadConfig({ BULLETIN_WEIGHTS: 'lateness=3' })).toThrow(/BULLETIN_WEIGHTS: no weight lateness; the weights are closedOnTime, overdue/);
    expect(() => loadConfig({ BULLETIN_WEIGHTS: 'overdue=-5' })).toThrow(/BULLETIN_WEIGHTS: "overdue=-5" is not name=points/);
    expect(() => loadConfig({ BULLETIN_WEIGHTS: 'overdue=5,overdue=6' })).toThrow(/BULLETIN_WEIGHTS: overdue is given twice/);
    expect(() => loadConfig({ BULLETIN_WEIGHTS: 'overdue=500' })).toThrow(/BULLETIN_WEIGHTS: overdue must be from 0 to 100/);
    expect(() => loadConfig({ BULLETIN_WEIGHTS: 'overdue=0.125' })).toThrow(/BULLETIN_WEIGHTS: "overdue=0.125" is not name=points/);
  });

  it('logs at info and calls a projection stalled after 30 s by default, and refuses bad values', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', projectionStallSeconds: 30 });
    expect(loadConfig({ LOG_LEVEL: 'debug', PROJECTION_STALL_SECONDS: '120' })).toMatchObject({ logLevel: 'debug', projectionStallSeconds: 120 });
    expect(() => loadConfig({ LOG_LEVEL: 'chatty', PROJECTION_STALL_SECONDS: '0' })).toThrow(/LOG_LEVEL[\s\S]*PROJECTION_STALL_SECONDS/);
  });

  it('limits each caller to 600 requests a minute by default, 0 turning it off, and refuses bad limits', () => {
    expect(loadConfig({}).rateLimitPerMinute).toBe(600);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '30' }).rateLimitPerMinute).toBe(30);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '10.5' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).databaseUrl).toBeNull();
  });
});
