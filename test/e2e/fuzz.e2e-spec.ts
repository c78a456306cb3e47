import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ApiHarness, ok } from './support/api-harness';

/**
 * Hostile input over every write endpoint the OpenAPI document serves (issue 6): for each POST it
 * derives, from the operation's request-body schema, a fixed set of hostile requests (malformed
 * JSON, other content types, each property missing / null / of the wrong type / given a hostile
 * value, prototype-pollution keys, oversized and deeply nested bodies, invalid dates and numbers)
 * and hostile path parameters. Values are drawn with fast-check from one seed, so a failure
 * reproduces. Every reply must be below 500; every 4xx must be problem+json; a refused request
 * must record no event.
 */

const SEED = 20_260_601;
const PREFIX = '/api/v1';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  nullable?: boolean;
}

interface Operation {
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
}

/** A number (or any JSON fragment) written into the body exactly as given: 1e400, -0. */
class Raw {
  constructor(readonly text: string) {}
}

/** JSON text that can hold Raw fragments and own `__proto__` keys. */
function json(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(json).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${json(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** An object literal with an own key of any name (`{__proto__: x}` would set the prototype instead). */
function withKey(base: unknown, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return Object.assign(copy, typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {});
}

const deepObject = (depth: number): Raw => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const deepArray = (depth: number): Raw => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);

const HOSTILE_STRINGS = [
  '',
  '   ',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f',
  'file:///etc/passwd',
  "'; DROP TABLE events; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'a\u0000b',
  'a\ud800b',
  '\u202Egnp.exe',
  '😀🧨'.repeat(100),
  '任'.repeat(5001),
  'x'.repeat(65),
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
];
const HOSTILE_DATES = ['0001-01-01', '9999-12-31', '2026-02-30', '2026-02-30T00:00:00Z', 'not-a-date', '9999-99-99T99:99', '2026-13-01T00:00:00+08:00', '0000-01-01T00:00:00+23:59', '9999-12-31T23:59:59-23:59', '+275760-09-13T00:00:00Z', '2026-06-01T24:00:00Z', '1970-01-01T00:00:00Z', '2026-06-01 12:00', '24:00', '2026-00'];
const HOSTILE_NUMBERS = [new Raw('1e400'), new Raw('-1e400'), new Raw('-0'), 'NaN', 'Infinity', new Raw('9007199254740993'), new Raw('1e308'), new Raw('123456789012345678901234567890'), -1, 0, 0.5, 2 ** 31, -(2 ** 53), '1'];

/** Samples from one arbitrary with its own seed, so adding a case elsewhere does not shift these. */
function sample<T>(arbitrary: fc.Arbitrary<T>, seed: number, n: number): T[] {
  return fc.sample(arbitrary, { seed, numRuns: n });
}

function hash(text: string): number {
  let h = SEED;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0;
  return h;
}

/** A schema with nullable and union wrappers taken off: the first alternative that is not null. */
function unwrap(schema: Schema): Schema {
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options) return unwrap(options.find((o) => o.type !== 'null') ?? {});
  return schema;
}

const isDateLike = (s: Schema): boolean => s.format === 'date-time' || s.format === 'date' || (s.pattern ?? '').includes('\\d{4}') || (s.pattern ?? '').includes('[01]\\d');

/** Seeded resources, named by the parameter or property that refers to them. */
interface Seeds {
  ids: Record<string, string>;
  eventId: string;
}

function seedFor(name: string, seeds: Seeds): string | undefined {
  const n = name.toLowerCase();
  for (const [key, value] of Object.entries(seeds.ids)) if (n.includes(key)) return value;
  return undefined;
}

/** A value the schema accepts (as far as its shape says), using seeded ids where a name points to one. */
function validOf(schema: Schema, name: string, seeds: Seeds): unknown {
  const s = unwrap(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = validOf(s.properties?.[key] ?? {}, key, seeds);
      return out;
    }
    case 'array':
      return [validOf(s.items ?? {}, name, seeds)];
    case 'integer':
    case 'number': {
      const low = s.minimum ?? 1;
      return s.maximum !== undefined && low > s.maximum ? s.maximum : Math.max(low, 1);
    }
    case 'boolean':
      return true;
    default: {
      const candidates = [seedFor(name, seeds), s.format === 'date-time' ? '2030-06-30T18:00:00+08:00' : undefined, 'fz-1', '2030-06-30T18:00:00+08:00', '2030-06-30', '2026-01', '17:00', 'PT1H', seeds.eventId, '合规文本'];
      const fits = (c: string): boolean => {
        if (s.pattern && !new RegExp(s.pattern, 'u').test(c)) return false;
        if (s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(c)) return false;
        return c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? Infinity);
      };
      return candidates.find((c): c is string => c !== undefined && fits(c)) ?? 'x';
    }
  }
}

function wrongTypeOf(schema: Schema): unknown {
  switch (unwrap(schema).type) {
    case 'string':
      return 42;
    case 'integer':
    case 'number':
      return '42';
    case 'boolean':
      return 'true';
    case 'array':
      return 'x';
    case 'object':
      return ['x'];
    default:
      return { unexpected: true };
  }
}

/** Hostile values for one property, drawn with the seed and the property's place. */
function hostileOf(schema: Schema, at: string): unknown[] {
  const s = unwrap(schema);
  const seed = hash(at);
  switch (s.type) {
    case 'string':
      return [
        ...sample(fc.constantFrom(...HOSTILE_STRINGS), seed, 3),
        ...(isDateLike(s) ? sample(fc.constantFrom(...HOSTILE_DATES), seed + 1, 4) : []),
        ...sample(fc.string({ unit: 'binary', maxLength: 40 }), seed + 2, 1),
      ];
    case 'integer':
    case 'number':
      return sample(fc.constantFrom(...HOSTILE_NUMBERS), seed, 5);
    case 'boolean':
      return ['false', 0, 1];
    case 'array':
      return [[], [null], sample(fc.anything(), seed, 1)];
    default:
      return sample(fc.anything({ maxDepth: 2 }), seed, 2);
  }
}

/** Every property path worth spoiling: top-level, inside nested objects, inside the first array item. */
function paths(schema: Schema, prefix: (string | number)[] = [], depth = 0): { path: (string | number)[]; schema: Schema; required: boolean }[] {
  const s = unwrap(schema);
  if (s.type !== 'object' || depth > 2) return [];
  return Object.entries(s.properties ?? {}).flatMap(([key, property]) => {
    const here = [...prefix, key];
    const inner = unwrap(property);
    const nested = inner.type === 'array' ? paths(inner.items ?? {}, [...here, 0], depth + 1) : paths(inner, here, depth + 1);
    return [{ path: here, schema: property, required: (s.required ?? []).includes(key) }, ...nested];
  });
}

const MISSING = Symbol('missing');

/** A copy of `base` with the value at `path` replaced (or removed), creating what is missing on the way. */
function setAt(base: unknown, path: (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const list = Array.isArray(base) ? [...(base as unknown[])] : [];
    list[head] = setAt(list[head] ?? {}, rest, value);
    return list;
  }
  const object = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  const next = setAt(object[head], rest, value);
  if (next === MISSING) delete object[head];
  else object[head] = next;
  return object;
}

interface Probe {
  label: string;
  method: 'POST';
  url: string;
  who: string | null;
  body?: string;
  headers?: Record<string, string>;
}

interface Outcome {
  status: number;
  contentType: string;
  body: Record<string, unknown> | null;
  text: string;
}

const PARAM_HOSTILE = [
  encodeURIComponent('../../etc/passwd'),
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%252e%252e%252f',
  '%ED%A0%80',
  '%FF',
  '%00',
  encodeURIComponent("'; DROP TABLE events; --"),
  encodeURIComponent('任务😀\u202E'),
  'x'.repeat(300),
  'x'.repeat(20_000),
];

describe('fuzzing every write endpoint of the OpenAPI document (hostile input → < 500, problem+json, nothing recorded)', () => {
  let api: ApiHarness;
  let document: Document;
  const seeds: Seeds = { ids: {}, eventId: '' };
  const totals = { sent: 0, byClass: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  const failures: string[] = [];

  /** Events not recorded by the server's own schedulers (which run on their own timers). */
  const userEvents = async (): Promise<number> =>
    Number((await api.sql.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE metadata->'actor'->>'personId' IS DISTINCT FROM 'system'")).rows[0]?.n);

  async function fire(probe: Probe): Promise<Outcome | null> {
    const headers: Record<string, string> = { ...(probe.who ? { authorization: `Bearer ${api.tokens[probe.who] ?? ''}` } : {}), ...probe.headers };
    try {
      const response = await fetch(`${api.base.slice(0, -PREFIX.length)}${probe.url}`, { method: probe.method, headers, ...(probe.body !== undefined ? { body: probe.body } : {}) });
      const text = await response.text();
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = null;
      }
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, text };
    } catch (error) {
      failures.push(`${probe.label}: no reply (${String((error as { cause?: unknown }).cause ?? error)})`);
      return null;
    }
  }

  /** Sends one probe and checks what the issue asks of every reply. */
  async function check(probe: Probe): Promise<Outcome | null> {
    const before = await userEvents();
    const reply = await fire(probe);
    totals.sent += 1;
    if (!reply) return null;
    const after = await userEvents();
    const klass = `${Math.floor(reply.status / 100)}xx`;
    totals.byClass[klass] = (totals.byClass[klass] ?? 0) + 1;
    totals.byStatus[reply.status] = (totals.byStatus[reply.status] ?? 0) + 1;
    const where = `${probe.label} → ${reply.status}`;
    if (reply.status >= 500) failures.push(`${where}: ${reply.text.slice(0, 300)}`);
    if (reply.status >= 400) {
      if (!reply.contentType.startsWith('application/problem+json')) failures.push(`${where}: content-type "${reply.contentType}" ${reply.text.slice(0, 120)}`);
      const b = reply.body ?? {};
      const missing = ['type', 'title', 'status', 'code'].filter((k) => !(k in b));
      if (missing.length > 0 || b.status !== reply.status) failures.push(`${where}: not a problem document (missing ${missing.join(', ') || 'nothing'}): ${reply.text.slice(0, 200)}`);
      if (after !== before) failures.push(`${where}: refused, yet ${after - before} event(s) were recorded`);
    }
    return reply;
  }

  const jsonHeaders = { 'content-type': 'application/json' };

  /** The hostile requests for one operation, with `who` passing its role check and `url` naming seeded resources. */
  function probesOf(template: string, schema: Schema, url: string, who: string): Probe[] {
    const base = validOf(schema, '', seeds);
    const probe = (label: string, body: string | undefined, headers: Record<string, string> = jsonHeaders): Probe => ({ label: `POST ${template} [${who}] ${label}`, method: 'POST', url, who, ...(body !== undefined ? { body } : {}), headers });
    const spoil = (path: (string | number)[], value: unknown): string => json(setAt(base, path, value));
    const baseText = json(base);
    const firstString = paths(schema).find((p) => unwrap(p.schema).type === 'string')?.path ?? ['padding'];
    const firstArray = paths(schema).find((p) => unwrap(p.schema).type === 'array')?.path ?? ['padding'];
    const objects = paths(schema).filter((p) => unwrap(p.schema).type === 'object');
    const probes: Probe[] = [
      probe('the plain body', baseText),
      probe('malformed JSON {"a":', '{"a":'),
      probe('malformed JSON with a trailing comma', '{"a":1,}'),
      probe("malformed JSON with single quotes", "{'a':1}"),
      probe('two JSON documents', '{}{}'),
      probe('a NUL byte', '\u0000'),
      probe('JSON null', 'null'),
      probe('a JSON string', '"x"'),
      probe('a JSON number', '42'),
      probe('a JSON array', '[]'),
      probe('an array of the body', `[${baseText}]`),
      probe('no body, no content type', undefined, {}),
      probe('an empty JSON body', ''),
      probe('the body as text/plain', baseText, { 'content-type': 'text/plain' }),
      probe('a form body', 'a=1&__proto__[polluted]=fz', { 'content-type': 'application/x-www-form-urlencoded' }),
      probe('a multipart body', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', { 'content-type': 'multipart/form-data; boundary=b' }),
      probe('an XML body', '<a>1</a>', { 'content-type': 'application/xml' }),
      probe('the body without a content type', baseText, { 'content-type': '' }),
      probe('JSON in UTF-16', baseText, { 'content-type': 'application/json; charset=utf-16' }),
      probe('garbage claiming gzip', 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
      probe('an unknown content encoding', baseText, { 'content-type': 'application/json', 'content-encoding': 'compress' }),
      probe('an unknown extra property', json({ ...(base as object), unexpectedField: 1 })),
      probe('__proto__ at the top', json(withKey(base, '__proto__', { polluted: 'fz' }))),
      probe('constructor.prototype at the top', json(withKey(base, 'constructor', { prototype: { polluted: 'fz' } }))),
      probe('prototype at the top', json(withKey(base, 'prototype', { polluted: 'fz' }))),
      probe('__proto__ in an array item', spoil(firstArray, [withKey({}, '__proto__', { polluted: 'fz' })])),
      ...objects.map((o) => probe(`__proto__ inside ${o.path.join('.')}`, spoil(o.path, withKey(validOf(o.schema, String(o.path.at(-1)), seeds), '__proto__', { polluted: 'fz' })))),
      probe(`a 1 MB string in ${firstString.join('.')}`, spoil(firstString, 'x'.repeat(1_000_000))),
      probe(`100,000 items in ${firstArray.join('.')}`, spoil(firstArray, new Raw(`[${Array.from({ length: 100_000 }, () => '0').join(',')}]`))),
      probe(`10,000 items in ${firstArray.join('.')}`, spoil(firstArray, new Raw(`[${Array.from({ length: 10_000 }, () => '"x"').join(',')}]`))),
      probe('an object nested 10,000 deep', spoil(firstString, deepObject(10_000))),
      probe('an array nested 10,000 deep', spoil(firstString, deepArray(10_000))),
      probe('an object nested 10,000 deep, with an Idempotency-Key', spoil(firstString, deepObject(10_000)), { ...jsonHeaders, 'idempotency-key': `fz-deep-${template}` }),
      probe('1e400 with an Idempotency-Key', json(withKey(base, 'n', new Raw('1e400'))), { ...jsonHeaders, 'idempotency-key': `fz-1e400-${template}` }),
      probe('an If-Match that overflows', baseText, { ...jsonHeaders, 'if-match': '"99999999999999999999"' }),
      probe('an If-Match that is negative', baseText, { ...jsonHeaders, 'if-match': '"-1"' }),
      probe('a hostile Idempotency-Key', baseText, { ...jsonHeaders, 'idempotency-key': '../../etc/passwd\t' }),
    ];
    for (const p of paths(schema)) {
      const at = p.path.join('.');
      probes.push(probe(`${at} missing`, spoil(p.path, MISSING)));
      probes.push(probe(`${at} null`, spoil(p.path, null)));
      probes.push(probe(`${at} of the wrong type`, spoil(p.path, wrongTypeOf(p.schema))));
      for (const value of hostileOf(p.schema, `${template} ${at}`)) {
        const shown = value instanceof Raw ? value.text : JSON.stringify(value) ?? String(value);
        probes.push(probe(`${at} = ${shown.length > 40 ? `${shown.slice(0, 40)}…(${shown.length})` : shown}`, spoil(p.path, value)));
      }
    }
    return probes;
  }

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_fuzz', { RATE_LIMIT_PER_MINUTE: '0' });
    await api.as('all', { personId: 'p-fz-all', name: '全能', roles: ['admin', 'office', 'office_lead', 'inspector'] });
    await api.as('unit', { personId: 'p-fz-unit', name: '单位', unitId: 'fzunit', roles: ['unit', 'unit_lead'] });
    const response = await fetch(`${api.base.slice(0, -PREFIX.length)}/docs-json`);
    document = (await response.json()) as Document;

    // Resources for path parameters and for ids inside bodies, so the valid-looking requests reach the use cases.
    const later = '2030-06-30T18:00:00+08:00';
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.now() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const id of ['fzunit', 'fzunit2']) ok(await api.post('/units', 'all', { id, name: id, kind: 'district' }), 201);
    ok(await api.post('/units/fzunit/posts', 'all', { personId: 'p-fz', name: '负责人', post: 'primary_leader', from: '2020-01-01T00:00:00Z' }), 201);
    ok(await api.post('/meetings', 'all', { id: 'fz-meeting', title: '会议', kind: 'plenary', convenorId: 'p-fz', convenorName: '召集人', heldAt: '2020-01-01T00:00:00Z', attendees: [{ personId: 'p-fz', name: '召集人' }] }), 201);
    ok(await api.post('/tasks', 'all', { id: 'fz-task', title: '任务', description: '落实', source: { kind: 'other' }, leadUnitId: 'fzunit', dueAt: later }), 201);
    ok(await api.post('/reporting-windows', 'all', { id: 'fz-window', name: '敏感时期', from: tomorrow, to: dayAfter, unitIds: ['fzunit'] }), 201);
    ok(await api.post('/recommendations', 'all', { id: 'fz-rec', unitId: 'fzunit', kind: 'improve_work', text: '建议', answerDueAt: later }), 201);
    ok(await api.post('/interviews', 'all', { id: 'fz-interview', unitId: 'fzunit', personIds: ['p-fz'], reason: '约谈', findings: [], rectificationDueAt: later }), 201);
    seeds.eventId = (await api.sql.query<{ id: string }>("SELECT event_id AS id FROM events WHERE stream_id = 'supervision.task-fz-task' LIMIT 1")).rows[0]?.id ?? '';
    ok(await api.post('/accountability-cases', 'all', { id: 'fz-case', title: '问责', evidenceEventIds: [seeds.eventId], subjects: [{ unitId: 'fzunit', liability: 'leadership' }] }), 201);
    Object.assign(seeds.ids, { taskid: 'fz-task', meetingid: 'fz-meeting', windowid: 'fz-window', recommendationid: 'fz-rec', interviewid: 'fz-interview', caseid: 'fz-case', unitid: 'fzunit', parentid: 'fzunit', reassignto: 'fzunit2', personid: 'p-fz', convenor: 'p-fz', decider: 'p-fz', participant: 'p-fz', subjects: 'p-fz' });
  }, 120_000);

  afterAll(async () => api?.stop());

  it('answers every hostile request below 500, refuses with problem+json and records nothing when it refuses', async () => {
    const started = Date.now();
    const operations = Object.entries(document.paths).flatMap(([template, item]) => (item.post ? [{ template, operation: item.post }] : []));
    // Every write endpoint (37 when this was written) is in the document; losing one would hide it from the fuzz.
    expect(operations.length).toBeGreaterThanOrEqual(37);
    for (const { template, operation } of operations) {
      const schema = operation.requestBody?.content?.['application/json']?.schema ?? { type: 'object', properties: {} };
      const url = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(seedFor(name, seeds) ?? 'fz-1'));
      // Whoever passes the role check: the body must be judged, not hidden behind a 403.
      const reached = async (who: string): Promise<boolean> => ((await check({ label: `POST ${template} [${who}] role probe`, method: 'POST', url, who, body: '[]', headers: jsonHeaders }))?.status ?? 403) !== 403;
      const who = (await reached('all')) ? 'all' : (await reached('unit')) ? 'unit' : 'all';
      const other = who === 'all' ? 'unit' : 'all';
      const probes = probesOf(template, schema, url, who);
      for (const probe of probes) await check(probe);
      // The caller without the role, and nobody at all, get a problem too (never a 5xx), whatever the body.
      for (const probe of probes.slice(0, 12)) await check({ ...probe, label: probe.label.replace(`[${who}]`, `[${other}]`), who: other });
      for (const probe of probes.slice(0, 4)) await check({ ...probe, label: probe.label.replace(`[${who}]`, '[no token]'), who: null });
      // Hostile path parameters, each in turn, with the valid-looking body.
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      for (const name of names) {
        for (const hostile of PARAM_HOSTILE) {
          const spoiled = template.replace(/\{([^}]+)\}/g, (_, n: string) => (n === name ? hostile : encodeURIComponent(seedFor(n, seeds) ?? 'fz-1')));
          await check({ label: `POST ${template} [${who}] ${name} = ${hostile.length > 40 ? `${hostile.slice(0, 40)}…(${hostile.length})` : hostile}`, method: 'POST', url: spoiled, who, body: json(validOf(schema, '', seeds)), headers: jsonHeaders });
        }
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${operations.length} POST operations, ${totals.sent} requests in ${seconds} s; by class ${JSON.stringify(totals.byClass)}; by status ${JSON.stringify(totals.byStatus)}`);
    expect(failures).toEqual([]);
    expect(totals.byClass['5xx'] ?? 0).toBe(0);
    expect(totals.sent).toBeGreaterThan(3000);
    // Some valid-looking bodies must have got through, or the fuzz only ever met the first gate.
    expect(totals.byClass['2xx'] ?? 0).toBeGreaterThan(20);
  }, 180_000);

  it('refuses bearer tokens with hostile claims or forms with 401 problem+json, recording nothing', async () => {
    // The harness's signing secret: these tokens are validly signed, only their claims are hostile.
    const secret = new TextEncoder().encode('e2e-harness-secret-e2e-harness-secret');
    const signed = (claims: Record<string, unknown>, sub?: string, expires = '1h'): Promise<string> => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expires);
      return (sub === undefined ? jwt : jwt.setSubject(sub)).sign(secret);
    };
    const roles = ['admin', 'office'];
    const tokens: [string, string][] = [
      ['a NUL in the name', await signed({ name: 'a\u0000b', roles }, 'p-x')],
      ['an unpaired surrogate in the name', await signed({ name: 'a\ud800b', roles }, 'p-x')],
      ['an unpaired surrogate in sub', await signed({ name: 'x', roles }, '\udc00')],
      ['a NUL in unitId', await signed({ name: 'x', unitId: 'u\u0000', roles }, 'p-x')],
      ['no sub', await signed({ name: 'x', roles })],
      ['an unknown role', await signed({ name: 'x', roles: ['superuser'] }, 'p-x')],
      ['roles as a string', await signed({ name: 'x', roles: 'admin' }, 'p-x')],
      ['a 5,000-character name', await signed({ name: 'x'.repeat(5000), roles }, 'p-x')],
      ['an expired token', await signed({ name: 'x', roles }, 'p-x', '-1h')],
      ['alg none', new UnsecuredJWT({ name: 'x', roles }).setSubject('p-x').encode()],
      ['another secret', await new SignJWT({ name: 'x', roles }).setProtectedHeader({ alg: 'HS256' }).setSubject('p-x').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-another-secret-another'))],
      ['garbage', 'not.a.token'],
      ['8 kB of garbage', 'x'.repeat(8000)],
    ];
    const url = `${PREFIX}/units`;
    for (const [label, token] of tokens) {
      api.tokens[`hostile ${label}`] = token;
      const reply = await check({ label: `POST /units with a token of ${label}`, method: 'POST', url, who: `hostile ${label}`, body: JSON.stringify({ name: '单位', kind: 'other' }), headers: jsonHeaders });
      expect({ label, status: reply?.status, code: reply?.body?.code }).toEqual({ label, status: 401, code: expect.stringMatching(/TOKEN/) });
    }
    // Unknown claims, __proto__ among them, are ignored: the token works and pollutes nothing.
    api.tokens.proto = await signed(JSON.parse('{"name":"x","roles":["admin"],"__proto__":{"polluted":"fz"}}') as Record<string, unknown>, 'p-proto');
    expect((await check({ label: 'POST /units with __proto__ among the claims', method: 'POST', url, who: 'proto', body: JSON.stringify({ name: '单位', kind: 'other' }), headers: jsonHeaders }))?.status).toBe(201);
    expect(failures).toEqual([]);
  });

  it('polluted no prototype and is still healthy afterwards', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const origin = api.base.slice(0, -PREFIX.length);
    // Whatever was accepted, every read model could apply it: no poison event stalled a projection.
    const head = Number(await api.head());
    const deadline = Date.now() + 10_000;
    const behindHead = async (): Promise<{ name: string; position: string }[]> => (await api.sql.query<{ name: string; position: string }>('SELECT name, position FROM projection_checkpoints WHERE position < $1 ORDER BY name', [head])).rows;
    let behind = await behindHead();
    while (behind.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      behind = await behindHead();
    }
    expect(behind).toEqual([]);
    const ready = await fetch(`${origin}/health/ready`);
    expect(ready.status === 200 ? 'ready' : await ready.text()).toBe('ready');
    // Ids that are names of Object.prototype's members must work like any other, in every read model keyed by them.
    ok(await api.post('/units', 'all', { id: 'constructor', name: '之后', kind: 'other' }), 201);
    ok(await api.post('/tasks', 'all', { id: 'hasOwnProperty', title: '任务', description: '落实', source: { kind: 'other' }, leadUnitId: 'constructor', dueAt: '2030-06-30T18:00:00+08:00' }), 201);
    expect(ok(await api.read('/units/constructor', 'all')).body).toMatchObject({ name: '之后' });
    expect(ok(await api.read('/tasks/hasOwnProperty', 'all')).body).toMatchObject({ leadUnitId: 'constructor', status: 'issued' });
    expect(ok(await api.read('/boards/units/constructor', 'all')).body).toMatchObject({ unitId: 'constructor' });
    expect(ok(await api.read('/tasks?unitId=constructor', 'all')).body.items).toEqual([expect.objectContaining({ id: 'hasOwnProperty' })]);
    ok(await api.read('/boards/office', 'all'));
  });
});
