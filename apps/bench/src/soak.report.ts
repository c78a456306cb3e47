export type SoakKind = 'officeBoard' | 'unitBoard' | 'taskRead' | 'progressReport' | 'escalation';

/**
 * One pass of a connection over the traffic mix, 20 requests: 10% the office board, 25% unit
 * boards, 35% task reads, 25% progress reports, 5% escalations. Reads dominate, as in a working
 * day; writes are interleaved rather than bunched, so no window is all reads or all writes.
 */
export const SOAK_MIX: readonly SoakKind[] = [
  'taskRead', 'unitBoard', 'progressReport', 'taskRead', 'officeBoard',
  'unitBoard', 'taskRead', 'progressReport', 'taskRead', 'unitBoard',
  'progressReport', 'taskRead', 'escalation', 'unitBoard', 'taskRead',
  'progressReport', 'officeBoard', 'unitBoard', 'taskRead', 'progressReport',
];

/** The api's resident memory may grow by less than this share over the window (issue 6). */
export const RSS_GROWTH_LIMIT = 0.1;

export interface SoakMeasurements {
  seconds: number;
  requests: number;
  /** Milliseconds, all kinds together. */
  p50: number;
  p99: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  answered: Record<SoakKind, number>;
  failed: Record<SoakKind, number>;
  /** Bytes. */
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
  /** How long after the window the read models included every event written; null when they did not within 5 s. */
  catchUpMs: number | null;
}

export interface SoakReport {
  soak: {
    seconds: number;
    requests: number;
    rps: number;
    p50_ms: number;
    p99_ms: number;
    error_rate: number;
    by_kind: Record<SoakKind, { requests: number; errors: number }>;
    rss_mib: { start: number; end: number; peak: number };
    rss_growth: number;
    rss_growth_limit: number;
    catch_up_ms: number | null;
    ok: boolean;
  };
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** The figures, and whether they pass: no errors, memory growth under the limit, read models caught up. */
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * RSS at the start and end of the window from samples taken every 5 s: the median of the first
 * four and of the last four (20 s each). One reading lands anywhere in the saw-tooth of V8's
 * collections (seen: 261 and 302 MiB ten seconds apart at a steady load); several give the level.
 */
export function rssLevels(samples: readonly number[]): { rssStart: number; rssEnd: number; rssPeak: number } {
  if (samples.length === 0) throw new Error('no RSS samples');
  return { rssStart: median(samples.slice(0, 4)), rssEnd: median(samples.slice(-4)), rssPeak: Math.max(...samples) };
}

export function soakVerdict(m: SoakMeasurements): SoakReport {
  const growth = m.rssEnd / m.rssStart - 1;
  const errorRate = m.requests > 0 ? m.errors / m.requests : 1;
  const byKind = Object.fromEntries((Object.keys(m.answered) as SoakKind[]).map((k) => [k, { requests: m.answered[k], errors: m.failed[k] }])) as SoakReport['soak']['by_kind'];
  return {
    soak: {
      seconds: m.seconds,
      requests: m.requests,
      rps: round(m.requests / m.seconds, 1),
      p50_ms: m.p50,
      p99_ms: m.p99,
      error_rate: round(errorRate, 5),
      by_kind: byKind,
      rss_mib: { start: round(m.rssStart / 2 ** 20, 1), end: round(m.rssEnd / 2 ** 20, 1), peak: round(m.rssPeak / 2 ** 20, 1) },
      rss_growth: round(growth, 4),
      rss_growth_limit: RSS_GROWTH_LIMIT,
      catch_up_ms: m.catchUpMs === null ? null : Math.round(m.catchUpMs),
      ok: m.requests > 0 && m.errors === 0 && growth < RSS_GROWTH_LIMIT && m.catchUpMs !== null,
    },
  };
}

/** Human lines for the end of the run; the JSON line follows them. */
export function soakLines(report: SoakReport): string[] {
  const s = report.soak;
  return [
    `soak: ${s.requests.toLocaleString('en-US')} requests in ${s.seconds} s (${s.rps} req/s), p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms, error rate ${(s.error_rate * 100).toFixed(3)}%`,
    `soak: api RSS ${s.rss_mib.start} MiB at start, ${s.rss_mib.end} MiB at end (peak ${s.rss_mib.peak}): ${(s.rss_growth * 100).toFixed(1)}% growth, limit ${s.rss_growth_limit * 100}%: ${s.rss_growth < s.rss_growth_limit ? 'ok' : 'ABOVE LIMIT'}`,
    `soak: read models ${s.catch_up_ms === null ? 'did NOT catch up within 5 s' : `caught up ${s.catch_up_ms} ms after the window`}; ${s.ok ? 'PASS' : 'FAIL'}`,
  ];
}
