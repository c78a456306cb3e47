import { RateLimiter } from './rate-limiter';

describe('RateLimiter (a token bucket per caller)', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 0;
  });

  it('lets a caller burst a minute’s allowance, then refuses with the seconds until the next request', () => {
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills evenly: one request a second at 60 a minute', () => {
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) limiter.take('a');
    now += 500;
    expect(limiter.take('a').allowed).toBe(false);
    now += 500;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('says how long to wait when the rate is slow', () => {
    const limiter = new RateLimiter(2, clock);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 20_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('counts each caller on its own', () => {
    const limiter = new RateLimiter(1, clock);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never refuses when off (0 a minute)', () => {
    const limiter = new RateLimiter(0, clock);
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('forgets idle callers once many are remembered, but keeps those still limited', () => {
    const limiter = new RateLimiter(1, clock);
    limiter.take('busy');
    for (let i = 0; i < 10_000; i++) limiter.take(`caller-${i}`);
    now += 30_000;
    limiter.take('newcomer');
    expect(limiter.size).toBeGreaterThan(10_000);
    now += 30_000;
    limiter.take('another');
    // Those seen a minute ago have refilled and are forgotten; the newcomer (half refilled) and the caller just seen are kept.
    expect(limiter.size).toBe(2);
    expect(limiter.take('newcomer').allowed).toBe(false);
    expect(limiter.take('another').allowed).toBe(false);
  });
});
