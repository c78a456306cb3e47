/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Everything the ledger hashes or signs goes through this function, so its output is a
 * persisted format: the same value must give the same bytes forever, on any machine.
 * JCS is exactly "JSON.stringify with object keys sorted by UTF-16 code units", because
 * RFC 8785 adopts ECMAScript's number-to-string and string-escaping rules; we lean on the
 * engine for both instead of re-implementing them.
 *
 * Deviations from JSON.stringify are deliberate and all fail loudly instead of silently
 * dropping data from a hash: non-finite numbers, BigInt, functions and symbols throw
 * (JSON.stringify would write null or omit them), `undefined` inside an array throws
 * (JSON.stringify writes null), cycles throw. An object property whose value is `undefined`
 * is omitted, as JSON.stringify does, because that is how it round-trips through storage.
 */
export function canonicalize(value: unknown): string {
  const out = serialize(value, '', []);
  if (out === undefined) {
    throw new TypeError('canonicalize: the value is undefined and has no JSON form');
  }
  return out;
}

/** Returns undefined only for "no JSON form" (undefined), which the caller decides how to treat. */
function serialize(value: unknown, key: string, ancestors: object[]): string | undefined {
  // Primitives first: they are most of the work and need none of the object checks below.
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalize: non-finite number ${String(value)} at ${describe(key)}`);
      }
      // ECMAScript Number::toString is the RFC 8785 number format; String(-0) is "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      return serializeObjectLike(value, key, ancestors);
    default:
      // bigint, function, symbol: no faithful JSON form, so refuse rather than hash a lossy one.
      throw new TypeError(`canonicalize: cannot serialize a ${typeof value} at ${describe(key)}`);
  }
}

function serializeObjectLike(input: object, key: string, ancestors: object[]): string | undefined {
  let value: unknown = input;
  // toJSON exactly once, as JSON.stringify does (SerializeJSONProperty step 2), so Dates become ISO strings.
  const toJSON = (input as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    value = (toJSON as (this: unknown, k: string) => unknown).call(input, key);
    if (typeof value !== 'object' || value === null) return serialize(value, key, ancestors);
  }
  // Boxed primitives (new Number(1)) serialize as their primitive, like JSON.stringify.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return serialize(value.valueOf(), key, ancestors);
  }
  return Array.isArray(value)
    ? serializeArray(value as unknown[], ancestors)
    : serializeObject(value as Record<string, unknown>, ancestors);
}

function serializeArray(array: unknown[], ancestors: object[]): string {
  enter(array, ancestors);
  let out = '[';
  for (let i = 0; i < array.length; i += 1) {
    const item = serialize(array[i], String(i), ancestors);
    if (item === undefined) {
      throw new TypeError(`canonicalize: undefined array element at index ${i}`);
    }
    out += i === 0 ? item : ',' + item;
  }
  ancestors.pop();
  return out + ']';
}

function serializeObject(object: Record<string, unknown>, ancestors: object[]): string {
  enter(object, ancestors);
  // Default sort compares UTF-16 code units, which is precisely the RFC 8785 §3.2.3 order.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i += 1) {
    const k = keys[i] as string;
    const member = serialize(object[k], k, ancestors);
    if (member === undefined) continue;
    out += (first ? '' : ',') + quoteKey(k) + ':' + member;
    first = false;
  }
  ancestors.pop();
  return out + '}';
}

/** Cycle guard: JSON.stringify throws on cycles too; a linear scan is cheap at realistic depths. */
function enter(container: object, ancestors: object[]): void {
  if (ancestors.includes(container)) {
    throw new TypeError('canonicalize: cyclic structure');
  }
  ancestors.push(container);
}

// Anything outside the characters JSON.stringify writes verbatim (space..U+FFFF minus '"',
// '\\' and surrogates): C0 controls, quote, backslash, and possibly-lone surrogates.
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\ud7ff\ue000-\uffff]/;

/** Most strings need no escaping; skip the call into JSON.stringify for them (a hot path). */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

// Event schemas reuse a small set of property names, so quoted keys are memoized. Bounded so
// that data with unbounded key sets (maps keyed by id) cannot grow it without limit.
const KEY_CACHE_LIMIT = 4096;
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size < KEY_CACHE_LIMIT) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function describe(key: string): string {
  return key === '' ? 'the top level' : `key ${JSON.stringify(key)}`;
}
