import { ApiHarness, ok } from './support/api-harness';

/** The raw reply: headers and body as sent, whatever the content type. */
async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('rate limiting per caller (RATE_LIMIT_PER_MINUTE)', () => {
  let api: ApiHarness;
  let origin: string;

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_rate_limit', { RATE_LIMIT_PER_MINUTE: '5' });
    origin = new URL(api.base).origin;
    // Two dev tokens: two of the five requests this address may send to the public dev-token endpoint.
    await api.as('busy', { personId: 'p-busy', name: '忙', roles: ['admin', 'office'] });
    await api.as('calm', { personId: 'p-calm', name: '闲', roles: ['admin', 'office'] });
  });
  afterAll(async () => api?.stop());

  it('answers 429 RATE_LIMITED with Retry-After past the limit for one token, recording nothing, while another token still gets through', async () => {
    for (let i = 0; i < 4; i++) ok(await api.get('/auth/me', 'busy'));
    ok(await api.post('/units', 'busy', { id: 'rl-1', name: '单位', kind: 'other' }), 201);
    const before = await api.eventCount();
    const refused = await api.post('/units', 'busy', { id: 'rl-2', name: '单位', kind: 'other' });
    expect(refused.status).toBe(429);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: expect.any(String), title: 'Too Many Requests', status: 429, code: 'RATE_LIMITED', detail: expect.any(String) });
    // Five a minute refill one every 12 s.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(12);
    expect(await api.eventCount()).toBe(before);
    expect((await api.get('/auth/me', 'busy')).status).toBe(429);

    expect(ok(await api.get('/auth/me', 'calm')).body).toMatchObject({ personId: 'p-calm' });
  });

  it('never limits the health probes and metrics', async () => {
    for (let i = 0; i < 20; i++) {
      for (const path of ['/health/live', '/health/ready', '/metrics']) expect({ path, status: (await fetch(`${origin}${path}`)).status }).toEqual({ path, status: 200 });
    }
  });

  it('limits callers without a token by address: the dev-token endpoint', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await raw(`${api.base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ personId: `p-${i}`, name: 'x', roles: ['unit'] }) })).status);
    // Two of this address's five went on the tokens above.
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });

  it('documents the 429 on every operation but the probes', async () => {
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(document.paths['/api/v1/units']?.post?.responses['429']).toMatchObject({ description: expect.stringContaining('RATE_LIMITED') });
    expect(document.paths['/api/v1/tasks']?.get?.responses['429']).toBeDefined();
    expect(document.paths['/health/ready']?.get?.responses['429']).toBeUndefined();
  });
});

describe('security headers, JSON-only bodies and Swagger UI under its content security policy', () => {
  let api: ApiHarness;
  let origin: string;

  beforeAll(async () => {
    api = await ApiHarness.start('e2e_http_hardening');
    origin = new URL(api.base).origin;
    await api.as('office', { personId: 'p-office', name: '联席办', roles: ['admin', 'office', 'office_lead'] });
  });
  afterAll(async () => api?.stop());

  it('sends security headers and Cache-Control: no-store on API replies, errors included', async () => {
    for (const [path, status] of [['/api/v1/auth/me', 200], ['/api/v1/units/nowhere', 404], ['/api/v1/nothing-here', 404]] as const) {
      const reply = await raw(`${origin}${path}`, { headers: { authorization: `Bearer ${api.tokens.office}` } });
      expect({ path, status: reply.status }).toEqual({ path, status });
      const h = (name: string): string | null => reply.headers.get(name);
      expect({
        path,
        'cache-control': h('cache-control'),
        'content-security-policy': h('content-security-policy'),
        'x-content-type-options': h('x-content-type-options'),
        'x-frame-options': h('x-frame-options'),
        'referrer-policy': h('referrer-policy'),
        'x-powered-by': h('x-powered-by'),
      }).toEqual({
        path,
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-powered-by': null,
      });
      expect(h('strict-transport-security')).toMatch(/max-age=\d+/);
    }
  });

  it('refuses a body that is not JSON with 415 problem+json, recording nothing, and still takes a POST without a body', async () => {
    const before = await api.eventCount();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const reply = await raw(`${api.base}/units`, { method: 'POST', headers: { authorization: `Bearer ${api.tokens.office}`, 'content-type': type }, body: '{"name":"单位","kind":"other"}' });
      expect({ type, status: reply.status, code: reply.body.code, contentType: reply.headers.get('content-type') }).toEqual({ type, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', contentType: expect.stringMatching(/^application\/problem\+json/) });
    }
    expect(await api.eventCount()).toBe(before);
    const document = (await (await fetch(`${origin}/docs-json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(document.paths['/api/v1/units']?.post?.responses['415']).toMatchObject({ description: expect.stringContaining('UNSUPPORTED_MEDIA_TYPE') });
    // No body at all: the route decides (here: no such task), not the media type.
    const bodiless = await raw(`${api.base}/tasks/nowhere/signoff`, { method: 'POST', headers: { authorization: `Bearer ${api.tokens.office}` } });
    expect({ status: bodiless.status, code: bodiless.body.code }).toEqual({ status: 404, code: 'TASK_NOT_FOUND' });
  });

  it('answers a request line or headers too large for the server with problem+json', async () => {
    const reply = await raw(`${api.base}/tasks/${'x'.repeat(20_000)}`, { headers: { authorization: `Bearer ${api.tokens.office}` } });
    expect({ status: reply.status, code: reply.body.code, contentType: reply.headers.get('content-type') }).toEqual({ status: 431, code: 'HEADERS_TOO_LARGE', contentType: 'application/problem+json' });
  });

  // docs-browser.e2e-spec.ts drives the page in Chromium under this policy; here, what the policy relies on.
  it('gives /docs a policy that lets Swagger UI run (its scripts are files of the same origin), and may cache it', async () => {
    const response = await fetch(`${origin}/docs`);
    const html = await response.text();
    const docs = { status: response.status, headers: response.headers };
    expect(docs.status).toBe(200);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', inline = ''] of scripts) {
      expect({ attributes, inline: inline.trim() }).toEqual({ attributes: expect.stringMatching(/^\s*src="(?![a-z]+:|\/\/)[^"]+\.js"\s*$/), inline: '' });
    }
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(docs.headers.get('cache-control')).not.toBe('no-store');
  });
});
