import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The typed configuration (DESIGN.md §2). Abstract class so it is a Nest DI token. */
export abstract class AppConfig {
  abstract readonly port: number;
  abstract readonly dataDir: string;
  /** null: start the embedded PostgreSQL in `dataDir`. */
  abstract readonly databaseUrl: string | null;
  abstract readonly eventStore: 'postgres' | 'eventstoredb';
  abstract readonly eventstoreConnectionString: string | null;
  abstract readonly authMode: 'dev' | 'jwt';
  abstract readonly authJwtSecret: string | null;
  abstract readonly authJwksUrl: string | null;
  abstract readonly clockMode: 'system' | 'manual';
  abstract readonly ledgerAlgorithm: 'ed25519' | 'sm2';
  abstract readonly ledgerKeyFile: string;
  /** Base64 32-byte key that wraps every data subject's personal-data key (created, 0600, when missing). */
  abstract readonly piiMasterKeyFile: string;
  abstract readonly projector: 'inline' | 'off';
  /** apps/projector answers GET /health/live and /health/ready on this port (for container health checks); null: no HTTP at all. */
  abstract readonly projectorHealthPort: number | null;
  /** How often a signed Merkle checkpoint is taken while the log grows; 0 turns it off. */
  abstract readonly checkpointIntervalSeconds: number;
  /** How long an Idempotency-Key's first answer is kept for replays. */
  abstract readonly idempotencyKeyHours: number;
  /** Days that win over the `chinese-days` package data (YYYY-MM-DD, Asia/Shanghai). */
  abstract readonly workingCalendarOverrides: { readonly holidays: readonly string[]; readonly workdays: readonly string[] };
  /** Sign-for window (签收), in working days. */
  abstract readonly signForWorkingDays: number;
  /** Objection window (异议), in working days. */
  abstract readonly objectionWorkingDays: number;
  /** The RAG light turns yellow when the deadline is this many calendar days away or fewer. */
  abstract readonly dueSoonDays: number;
  /** overdue_not_supervised: days after a task went overdue by which the office must have reminded or escalated. */
  abstract readonly findingUnsupervisedDays: number;
  /** listed_still_overdue: days after 挂牌督办 a task may still be overdue before it is a finding. */
  abstract readonly findingListedDays: number;
  /** late_incident_report (迟报): hours after an incident occurred by which it must be reported. */
  abstract readonly findingLateIncidentHours: number;
  /** Shares of a control target's limit (0.5 = 50%) whose crossing is recorded as a warning, ascending. */
  abstract readonly controlTargetWarnings: readonly number[];
  /** Points per item of each count the monthly bulletin scores (closedOnTime adds, the others subtract). */
  abstract readonly bulletinWeights: Readonly<Record<BulletinWeightName, number>>;
  /** Requests per minute each caller (token's person, or IP without one) may send to one api process; 0 turns the limit off. */
  abstract readonly rateLimitPerMinute: number;
  /** Least severe level written to the JSON logs (pino's names; `silent` writes none). */
  abstract readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Readiness fails when a projection trails the log head without moving for longer than this. */
  abstract readonly projectionStallSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date')
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().slice(0, 10) === d, 'is not a calendar date');
const workingCalendarOverrides = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"holidays":["2027-02-08"],"workdays":["2027-02-20"]}' });
      return z.NEVER;
    }
  })
  .pipe(z.strictObject({ holidays: z.array(isoDay).default([]), workdays: z.array(isoDay).default([]) }))
  .refine((o) => !o.holidays.some((d) => o.workdays.includes(d)), 'a day cannot be both a holiday and a workday');

/** `0.5,1`: shares of the limit, each above 0, ascending, none repeated. */
const controlTargetWarnings = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(z.array(z.string().regex(/^\d+(\.\d+)?$/, 'must be numbers like 0.5,1 (shares of the limit)').transform(Number).refine((n) => n > 0 && n <= 10, 'each must be above 0 and at most 10')).min(1).max(10))
  .refine((ts) => ts.every((t, i) => i === 0 || t > (ts[i - 1] ?? 0)), 'must be ascending, none repeated');

/** The monthly bulletin's default weights (README "How the bulletin scores units"); the same as @app/governance's DEFAULT_BULLETIN_WEIGHTS (a spec there checks). */
const BULLETIN_WEIGHT_DEFAULTS = { closedOnTime: 2, overdue: 5, sentBack: 2, missedProgressReports: 2, missedDailyReports: 3, incidentPersons: 1, targetsExceeded: 5, findings: 1 } as const;
type BulletinWeightName = keyof typeof BULLETIN_WEIGHT_DEFAULTS;
const isWeightName = (name: string): name is BulletinWeightName => Object.hasOwn(BULLETIN_WEIGHT_DEFAULTS, name);

/** `overdue=8, findings=0.5`: the weights named replace their defaults; each 0 to 100 points, at most two decimals. */
const bulletinWeights = z.string().transform((text, ctx) => {
  const weights: Record<BulletinWeightName, number> = { ...BULLETIN_WEIGHT_DEFAULTS };
  const given = new Set<string>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([A-Za-z]+)\s*=\s*(\d{1,3}(?:\.\d{1,2})?)$/.exec(part);
    const name = m?.[1] ?? '';
    const value = Number(m?.[2]);
    if (!m) ctx.addIssue({ code: 'custom', message: `"${part}" is not name=points, e.g. overdue=5` });
    else if (!isWeightName(name)) ctx.addIssue({ code: 'custom', message: `no weight ${name}; the weights are ${Object.keys(BULLETIN_WEIGHT_DEFAULTS).join(', ')}` });
    else if (given.has(name)) ctx.addIssue({ code: 'custom', message: `${name} is given twice` });
    else if (value > 100) ctx.addIssue({ code: 'custom', message: `${name} must be from 0 to 100 points` });
    else {
      weights[name] = value;
      given.add(name);
    }
  }
  return weights;
});

const schema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.data')),
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  EVENT_STORE: z.preprocess(blankToUndefined, z.enum(['postgres', 'eventstoredb']).default('postgres')),
  EVENTSTORE_CONNECTION_STRING: z.preprocess(blankToUndefined, z.string().regex(/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//, 'must be an esdb:// or kurrentdb:// connection string').optional()),
  AUTH_MODE: z.preprocess(blankToUndefined, z.enum(['dev', 'jwt']).optional()),
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: z.preprocess(blankToUndefined, z.url().optional()),
  CLOCK_MODE: z.preprocess(blankToUndefined, z.enum(['system', 'manual']).default('system')),
  LEDGER_ALGORITHM: z.preprocess(blankToUndefined, z.enum(['ed25519', 'sm2']).default('ed25519')),
  LEDGER_KEY_FILE: optionalString,
  PII_MASTER_KEY_FILE: optionalString,
  PROJECTOR: z.preprocess(blankToUndefined, z.enum(['inline', 'off']).default('inline')),
  PROJECTOR_HEALTH_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  CHECKPOINT_INTERVAL_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(300)),
  IDEMPOTENCY_KEY_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(24 * 365).default(24)),
  WORKING_CALENDAR_OVERRIDES: z.preprocess(blankToUndefined, workingCalendarOverrides.optional()),
  SIGN_FOR_WORKING_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).default(1)),
  OBJECTION_WORKING_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).default(5)),
  DUE_SOON_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(3)),
  FINDING_UNSUPERVISED_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).default(2)),
  FINDING_LISTED_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).default(7)),
  FINDING_LATE_INCIDENT_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(24 * 365).default(24)),
  CONTROL_TARGET_WARNINGS: z.preprocess(blankToUndefined, controlTargetWarnings.optional()),
  BULLETIN_WEIGHTS: z.preprocess(blankToUndefined, bulletinWeights.optional()),
  RATE_LIMIT_PER_MINUTE: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(600)),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  PROJECTION_STALL_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(86_400).default(30)),
});

/**
 * Reads and checks the environment once; every problem is reported together. Tools that serve no
 * HTTP (the CLI, the projector) pass `needsAuth: false`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: { needsAuth?: boolean } = {}): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const v = parsed.data;
  const embedded = !v.DATABASE_URL;
  const authMode = v.AUTH_MODE ?? (embedded ? 'dev' : 'jwt');
  const problems: string[] = [];
  if (v.EVENT_STORE === 'eventstoredb' && !v.EVENTSTORE_CONNECTION_STRING) {
    problems.push('EVENTSTORE_CONNECTION_STRING: required when EVENT_STORE=eventstoredb');
  }
  if (options.needsAuth !== false && authMode === 'jwt' && !v.AUTH_JWT_SECRET && !v.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL: one is required when AUTH_MODE=jwt (the default with DATABASE_URL)');
  }
  if (v.AUTH_JWT_SECRET && v.AUTH_JWT_SECRET.length < 32) {
    problems.push('AUTH_JWT_SECRET: must be at least 32 characters');
  }
  if (problems.length) throw new ConfigError(problems);
  const dataDir = resolve(v.DATA_DIR);
  return {
    port: v.PORT,
    dataDir,
    databaseUrl: v.DATABASE_URL ?? null,
    eventStore: v.EVENT_STORE,
    eventstoreConnectionString: v.EVENTSTORE_CONNECTION_STRING ?? null,
    authMode,
    authJwtSecret: v.AUTH_JWT_SECRET ?? null,
    authJwksUrl: v.AUTH_JWKS_URL ?? null,
    clockMode: v.CLOCK_MODE,
    ledgerAlgorithm: v.LEDGER_ALGORITHM,
    ledgerKeyFile: resolve(v.LEDGER_KEY_FILE ?? join(dataDir, 'ledger', `${v.LEDGER_ALGORITHM}.key`)),
    piiMasterKeyFile: resolve(v.PII_MASTER_KEY_FILE ?? join(dataDir, 'privacy', 'master.key')),
    projector: v.PROJECTOR,
    projectorHealthPort: v.PROJECTOR_HEALTH_PORT ?? null,
    checkpointIntervalSeconds: v.CHECKPOINT_INTERVAL_SECONDS,
    idempotencyKeyHours: v.IDEMPOTENCY_KEY_HOURS,
    workingCalendarOverrides: v.WORKING_CALENDAR_OVERRIDES ?? { holidays: [], workdays: [] },
    signForWorkingDays: v.SIGN_FOR_WORKING_DAYS,
    objectionWorkingDays: v.OBJECTION_WORKING_DAYS,
    dueSoonDays: v.DUE_SOON_DAYS,
    findingUnsupervisedDays: v.FINDING_UNSUPERVISED_DAYS,
    findingListedDays: v.FINDING_LISTED_DAYS,
    findingLateIncidentHours: v.FINDING_LATE_INCIDENT_HOURS,
    controlTargetWarnings: v.CONTROL_TARGET_WARNINGS ?? [0.5, 1],
    bulletinWeights: v.BULLETIN_WEIGHTS ?? BULLETIN_WEIGHT_DEFAULTS,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    logLevel: v.LOG_LEVEL,
    projectionStallSeconds: v.PROJECTION_STALL_SECONDS,
  };
}
