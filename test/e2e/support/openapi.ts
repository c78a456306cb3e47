import type { ApiHarness, Reply } from './api-harness';

/** The little of an OpenAPI 3.0 schema object the served document uses for response bodies. */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  format?: string;
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const PREFIX = '/api/v1';

/**
 * Validates `value` against the subset of JSON Schema / OpenAPI 3.0 the document uses
 * (type, nullable, enum, required, properties, additionalProperties, items, $ref, date-time).
 * ajv 6 (only a transitive dependency here) predates OpenAPI 3's `nullable`, so a few lines do instead.
 */
export function schemaErrors(schema: Schema, value: unknown, at = '$', components: Record<string, Schema> = {}): string[] {
  if (schema.$ref !== undefined) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    return target ? schemaErrors(target, value, at, components) : [`${at}: unresolved ${schema.$ref}`];
  }
  if (value === null) return schema.nullable || schema.type === undefined ? [] : [`${at}: null is not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  const fits = schema.type === undefined || actual === schema.type || (schema.type === 'number' && actual === 'integer');
  if (!fits) return [`${at}: expected ${schema.type}, got ${actual}`];
  if (schema.format === 'date-time' && typeof value === 'string' && Number.isNaN(Date.parse(value))) return [`${at}: not a date-time`];
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => schemaErrors(schema.items as Schema, item, `${at}[${i}]`, components)) : [];
  if (typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const problems = (schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: required`);
  for (const [key, item] of Object.entries(record)) {
    const property = schema.properties?.[key];
    if (property) problems.push(...schemaErrors(property, item, `${at}.${key}`, components));
    else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not allowed`);
    else if (typeof schema.additionalProperties === 'object') problems.push(...schemaErrors(schema.additionalProperties, item, `${at}.${key}`, components));
  }
  return problems;
}

/**
 * Checks every reply a test receives against the OpenAPI document served at /docs-json (API.md:
 * it "must describe every endpoint, body and error exactly as served"): the operation exists, the
 * status is documented for it, a 2xx body fits its documented schema, and an error is
 * problem+json with type, title, status, detail and code. Violations are collected, so one test
 * at the end can list them all.
 */
export class OpenApiContract {
  readonly violations: string[] = [];
  private readonly operations: { method: string; template: string; pattern: RegExp; params: number; operation: Operation }[];

  private constructor(private readonly document: Document) {
    this.operations = Object.entries(document.paths)
      .flatMap(([template, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
          params: (template.match(/\{/g) ?? []).length,
          operation,
        })),
      )
      // A literal segment beats a parameter (e.g. /boards/office before /boards/units/{unitId}).
      .sort((a, b) => a.params - b.params);
  }

  static async load(api: ApiHarness): Promise<OpenApiContract> {
    const response = await fetch(`${api.base.slice(0, -PREFIX.length)}/docs-json`);
    if (response.status !== 200) throw new Error(`/docs-json answered ${response.status}`);
    return new OpenApiContract((await response.json()) as Document);
  }

  /** Records what about `reply` (to `method path`, path relative to /api/v1) the document does not describe. */
  check(method: string, path: string, reply: Reply): Reply {
    const url = `${PREFIX}${path.split('?')[0] ?? ''}`;
    const where = `${method} ${path.length > 120 ? `${path.slice(0, 120)}…` : path} → ${reply.status}`;
    const found = this.operations.find((o) => o.method === method && o.pattern.test(url));
    if (!found) {
      this.violations.push(`${where}: no operation in the OpenAPI document`);
      return reply;
    }
    const documented = found.operation.responses?.[String(reply.status)];
    if (!documented) this.violations.push(`${where}: status ${reply.status} undocumented for ${method} ${found.template}`);
    const schema = documented?.content?.['application/json']?.schema;
    if (reply.status < 300 && schema) {
      for (const problem of schemaErrors(schema, reply.body, '$', this.document.components?.schemas)) this.violations.push(`${where}: body does not fit the documented schema: ${problem}`);
    }
    if (reply.status >= 400) {
      if (!reply.contentType.startsWith('application/problem+json')) this.violations.push(`${where}: content-type ${reply.contentType}, not application/problem+json`);
      const missing = ['type', 'title', 'status', 'detail', 'code'].filter((key) => !(key in reply.body));
      if (missing.length > 0 || reply.body.status !== reply.status) this.violations.push(`${where}: not a problem document (missing ${missing.join(', ') || 'nothing'}; status ${String(reply.body.status)})`);
    }
    return reply;
  }

  /** The harness's fetch helpers, every reply checked. */
  watch(api: ApiHarness): Pick<ApiHarness, 'send' | 'get' | 'post'> {
    const send: ApiHarness['send'] = async (method, path, who, body, headers, base) => this.check(method, path, await api.send(method, path, who, body, headers, base));
    return {
      send,
      get: (path, who) => send('GET', path, who),
      post: (path, who, body = {}, headers = {}) => send('POST', path, who, body, headers),
    };
  }
}
