import { rssLevels, RSS_GROWTH_LIMIT, SOAK_MIX, soakLines, soakVerdict, type SoakKind, type SoakMeasurements } from './soak.report';

const MiB = 2 ** 20;
const kinds = (n: number): Record<SoakKind, number> => ({ officeBoard: n, unitBoard: n, taskRead: n, progressReport: n, escalation: n });
const measured = (over: Partial<SoakMeasurements> = {}): SoakMeasurements => ({
  seconds: 60, requests: 30_000, p50: 12, p99: 80, errors: 0, answered: kinds(6000), failed: kinds(0),
  rssStart: 200 * MiB, rssEnd: 210 * MiB, rssPeak: 215 * MiB, catchUpMs: 40, ...over,
});

describe('the soak report', () => {
  it('mixes reads and writes in the stated shares', () => {
    const share = (k: SoakKind) => SOAK_MIX.filter((x) => x === k).length / SOAK_MIX.length;
    expect({ officeBoard: share('officeBoard'), unitBoard: share('unitBoard'), taskRead: share('taskRead'), progressReport: share('progressReport'), escalation: share('escalation') })
      .toEqual({ officeBoard: 0.1, unitBoard: 0.25, taskRead: 0.35, progressReport: 0.25, escalation: 0.05 });
  });

  it('passes with no errors, memory growth under the limit and the read models caught up', () => {
    const { soak } = soakVerdict(measured());
    expect(soak).toMatchObject({ rps: 500, p50_ms: 12, p99_ms: 80, error_rate: 0, rss_mib: { start: 200, end: 210, peak: 215 }, rss_growth: 0.05, ok: true });
    expect(soakLines({ soak }).at(-1)).toMatch(/PASS$/);
  });

  it('fails on memory growth at the limit, on any error and on read models left behind', () => {
    expect(soakVerdict(measured({ rssEnd: 200 * MiB * (1 + RSS_GROWTH_LIMIT) })).soak.ok).toBe(false);
    const failing = soakVerdict(measured({ errors: 3, failed: { ...kinds(0), escalation: 3 } })).soak;
    expect([failing.ok, failing.error_rate, failing.by_kind.escalation]).toEqual([false, 0.0001, { requests: 6000, errors: 3 }]);
    const behind = soakVerdict(measured({ catchUpMs: null }));
    expect(behind.soak.ok).toBe(false);
    expect(soakLines(behind).join('\n')).toMatch(/did NOT catch up[\s\S]*FAIL$/);
  });
});

describe('RSS levels of the soak window', () => {
  it('takes the median of the first and of the last four samples, so one reading in a GC saw-tooth does not decide', () => {
    const mib = (...xs: number[]) => xs.map((x) => x * 2 ** 20);
    expect(rssLevels(mib(242, 243, 302, 261, 292, 288, 293, 290, 293))).toEqual({ rssStart: 252 * 2 ** 20, rssEnd: 291.5 * 2 ** 20, rssPeak: 302 * 2 ** 20 });
    expect(() => rssLevels([])).toThrow(/no RSS samples/);
  });
});
