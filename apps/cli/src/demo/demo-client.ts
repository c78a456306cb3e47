import type { Role } from '@app/shared-kernel';

/** The claims of a dev token (API.md, Dev mode). */
export interface DevClaims {
  personId: string;
  name: string;
  unitId?: string;
  roles: Role[];
}

/** What every command answers (API.md: `{id, version, position}`). */
export interface CommandReply {
  id: string;
  version: number;
  position: number;
}

/** The api refused a request; the message carries its problem+json code and detail. */
export class DemoRequestError extends Error {
  override readonly name = 'DemoRequestError';

  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The demo talks to the api exactly as a user would: over HTTP, with dev tokens, every rule checked
 * by the server. Reads wait for the read models to include the client's own writes (read-your-writes
 * through `X-Min-Position`), so a step never acts on a stale board.
 */
export class DemoClient {
  private readonly tokens = new Map<string, string>();
  private position = 0;

  /** `baseUrl` ends in `/api/v1`. */
  constructor(readonly baseUrl: string) {}

  /** Gets a dev token for a person and keeps it under the person's id. */
  async login(claims: DevClaims): Promise<string> {
    const { token } = await this.request<{ token: string }>('POST', '/auth/dev-token', null, claims);
    this.tokens.set(claims.personId, token);
    return token;
  }

  /**
   * Reads from now on wait until the read models have caught up with the whole log as it stands
   * (another process may have written before this client started).
   */
  async catchUp(): Promise<void> {
    const response = await fetch(`${this.baseUrl.replace(/\/api\/v1$/, '')}/health/ready`);
    const body = (await response.json()) as { headPosition?: unknown };
    if (response.ok && typeof body.headPosition === 'number') this.position = Math.max(this.position, body.headPosition);
  }

  post<T extends object = CommandReply>(path: string, as: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, as, body);
  }

  get<T extends object>(path: string, as: string): Promise<T> {
    return this.request<T>('GET', path, as);
  }

  /** GET that answers null on 404 instead of throwing. */
  async find<T extends object>(path: string, as: string): Promise<T | null> {
    try {
      return await this.get<T>(path, as);
    } catch (error) {
      if (error instanceof DemoRequestError && error.status === 404) return null;
      throw error;
    }
  }

  private async request<T extends object>(method: 'GET' | 'POST', path: string, as: string | null, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (as !== null) {
      const token = this.tokens.get(as);
      if (token === undefined) throw new Error(`demo: nobody logged in as ${as}`);
      headers.authorization = `Bearer ${token}`;
    }
    if (method === 'GET' && this.position > 0) headers['x-min-position'] = String(this.position);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok) {
      const code = typeof parsed.code === 'string' ? parsed.code : undefined;
      const detail = typeof parsed.detail === 'string' ? parsed.detail : text;
      throw new DemoRequestError(response.status, code, `${method} ${path}${as === null ? '' : ` as ${as}`} → ${response.status} ${code ?? ''}: ${detail}`);
    }
    if (typeof parsed.position === 'number') this.position = Math.max(this.position, parsed.position);
    return parsed as T;
  }
}
