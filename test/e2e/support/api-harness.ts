import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { runMigrations } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createApp } from '../../../apps/api/src/create-app';

export interface Reply {
  status: number;
  body: Record<string, unknown> & { code?: string; errors?: { field: string; message: string }[] };
  headers: Headers;
  contentType: string;
}

/** The reply, when it has this status; otherwise a failure that shows what came back instead. */
export function ok(reply: Reply, status = 200): Reply {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

/** One api process on its own test database, with dev tokens by name and plain fetch helpers. */
export class ApiHarness {
  readonly tokens: Record<string, string> = {};
  base = '';
  sql!: Client;
  /** Sees every reply (an OpenAPI contract check, for instance). */
  onReply: ((method: string, path: string, reply: Reply) => void) | null = null;
  private apps: INestApplication[] = [];

  private constructor(readonly db: TestDatabase) {}

  static async start(prefix: string, env: Record<string, string> = {}): Promise<ApiHarness> {
    const harness = new ApiHarness(await createTestDatabase(prefix));
    await runMigrations(harness.db.url);
    harness.base = await harness.boot(env);
    harness.sql = new Client({ connectionString: harness.db.url });
    await harness.sql.connect();
    return harness;
  }

  /** Another api process on the same database (for races between processes). */
  async boot(env: Record<string, string> = {}): Promise<string> {
    const config = loadConfig({ DATABASE_URL: this.db.url, AUTH_MODE: 'dev', AUTH_JWT_SECRET: 'e2e-harness-secret-e2e-harness-secret', DATA_DIR: '.data/e2e', CHECKPOINT_INTERVAL_SECONDS: '0', ...env });
    const app = await createApp({ config, databaseUrl: this.db.url }, { logger: false });
    await app.listen(0, '127.0.0.1');
    this.apps.push(app);
    return `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
  }

  async as(name: string, claims: { personId: string; name: string; unitId?: string; roles: string[] }): Promise<void> {
    const response = await fetch(`${this.base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
    this.tokens[name] = ((await response.json()) as { token: string }).token;
  }

  async send(method: string, path: string, who: string, body?: unknown, headers: Record<string, string> = {}, base = this.base): Promise<Reply> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.tokens[who] ?? ''}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    const reply = { status: response.status, body: text ? (JSON.parse(text) as Reply['body']) : {}, headers: response.headers, contentType: response.headers.get('content-type') ?? '' };
    this.onReply?.(method, path, reply);
    return reply;
  }

  post(path: string, who: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('POST', path, who, body, headers);
  }

  get(path: string, who: string): Promise<Reply> {
    return this.send('GET', path, who);
  }

  /** The log's head position: a `minPosition` that waits for everything recorded so far. */
  async head(): Promise<string> {
    return (await this.sql.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0]?.p ?? '0';
  }

  /** A GET once the read models have applied everything recorded so far. */
  async read(path: string, who: string): Promise<Reply> {
    return this.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${await this.head()}`, who);
  }

  /** As read(), also giving the body as sent: the bytes a client saves, for replies that must never change. */
  async readText(path: string, who: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.base}${path}${path.includes('?') ? '&' : '?'}minPosition=${await this.head()}`, { headers: { authorization: `Bearer ${this.tokens[who] ?? ''}` } });
    const text = await response.text();
    this.onReply?.('GET', path, { status: response.status, body: JSON.parse(text) as Reply['body'], headers: response.headers, contentType: response.headers.get('content-type') ?? '' });
    return { status: response.status, text };
  }

  /** A refusal: problem+json with this status and code, and nothing recorded by it. */
  async refused(request: () => Promise<Reply>, status: number, code: string): Promise<Reply> {
    const before = await this.eventCount();
    const reply = await request();
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    expect(reply.contentType).toMatch(/^application\/problem\+json/);
    expect(await this.eventCount()).toBe(before);
    return reply;
  }

  async eventCount(): Promise<number> {
    return Number((await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n);
  }

  async events(streamId: string): Promise<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]> {
    return (await this.sql.query('SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId])).rows;
  }

  async stop(): Promise<void> {
    await this.sql?.end();
    for (const app of this.apps) await app.close();
    await this.db.drop();
  }
}
