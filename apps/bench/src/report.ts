export type Mode = 'quick' | 'full';

/** Events per second; null when not measured or when the measurement failed. */
export type Rate = number | null;

export interface Measurements {
  mode: Mode;
  append1x8: { ours: Rate; raw: Rate; emmett: Rate };
  append100x1: { ours: Rate; raw: Rate; emmett: Rate };
  readAll: { ours: Rate; raw: Rate };
  growth: { empty: Rate; filled: Rate; filledEvents: number };
  rebuildBoard: Rate;
  /** Requests per second and latency of the REST endpoints and of the baseline, same run. */
  rest: { baseline: RestFigure; board: RestFigure; report: RestFigure } | null;
  /** Milliseconds for one task of 1,000 events: timeline + verification, the plain SELECT, state as of a moment. */
  audit: AuditFigure | null;
}

export interface AuditFigure {
  events: number;
  auditMs: number;
  selectMs: number;
  stateAsOfMs: number;
}

export interface RestFigure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** DESIGN.md §8. */
export const TARGETS = {
  append_1x8_vs_raw: 0.8,
  append_1x8_vs_emmett: 2.0,
  append_100x1_vs_raw: 0.7,
  read_all_vs_raw: 0.5,
  board_vs_baseline: 0.6,
  report_vs_baseline: 0.4,
} as const;

export type RatioName = keyof typeof TARGETS;

/** Upper bounds (issue 4): the audit read of a task may cost at most twice selecting its rows. */
export const CEILINGS = { audit_vs_select: 2.0 } as const;
export type CeilingName = keyof typeof CEILINGS;

/** DESIGN.md §8: rebuilding the unit task-board projection, in events per second. */
export const REBUILD_BOARD_TARGET = 20_000;

export interface BenchReport {
  append_1x8: { ours: Rate; raw: Rate; emmett: Rate };
  append_100x1: { ours: Rate; raw: Rate; emmett: Rate };
  read_all: { ours: Rate; raw: Rate };
  rebuild_board: { ours: Rate };
  rest: { baseline: RestFigure; board: RestFigure; report: RestFigure } | null;
  growth: { empty: Rate; filled: Rate; filledEvents: number; ratio: number | null };
  audit: AuditFigure | null;
  ratios: Record<RatioName | CeilingName, number | null>;
  targets: typeof TARGETS;
  ceilings: typeof CEILINGS;
  mode: Mode;
}

function usable(value: Rate): value is number {
  return value !== null && Number.isFinite(value);
}

export function roundRate(value: Rate): Rate {
  return usable(value) ? Math.round(value) : null;
}

function roundFigure(f: RestFigure): RestFigure {
  return { rps: Math.round(f.rps), p50: f.p50, p99: f.p99, errors: f.errors };
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;

/** a / b to 2 decimals; null when either side is missing or b is not positive. */
export function ratio(a: Rate, b: Rate): number | null {
  if (!usable(a) || !usable(b) || b <= 0) return null;
  return Math.round((a / b) * 100) / 100;
}

/** Ratios come from the unrounded rates; the rates are then rounded to whole events per second. */
export function buildReport(m: Measurements): BenchReport {
  return {
    append_1x8: { ours: roundRate(m.append1x8.ours), raw: roundRate(m.append1x8.raw), emmett: roundRate(m.append1x8.emmett) },
    append_100x1: { ours: roundRate(m.append100x1.ours), raw: roundRate(m.append100x1.raw), emmett: roundRate(m.append100x1.emmett) },
    read_all: { ours: roundRate(m.readAll.ours), raw: roundRate(m.readAll.raw) },
    rebuild_board: { ours: roundRate(m.rebuildBoard) },
    rest: m.rest === null ? null : { baseline: roundFigure(m.rest.baseline), board: roundFigure(m.rest.board), report: roundFigure(m.rest.report) },
    growth: {
      empty: roundRate(m.growth.empty),
      filled: roundRate(m.growth.filled),
      filledEvents: m.growth.filledEvents,
      ratio: ratio(m.growth.filled, m.growth.empty),
    },
    audit: m.audit === null ? null : { events: m.audit.events, auditMs: round1(m.audit.auditMs), selectMs: round1(m.audit.selectMs), stateAsOfMs: round1(m.audit.stateAsOfMs) },
    ratios: {
      append_1x8_vs_raw: ratio(m.append1x8.ours, m.append1x8.raw),
      append_1x8_vs_emmett: ratio(m.append1x8.ours, m.append1x8.emmett),
      append_100x1_vs_raw: ratio(m.append100x1.ours, m.append100x1.raw),
      read_all_vs_raw: ratio(m.readAll.ours, m.readAll.raw),
      board_vs_baseline: ratio(m.rest?.board.rps ?? null, m.rest?.baseline.rps ?? null),
      report_vs_baseline: ratio(m.rest?.report.rps ?? null, m.rest?.baseline.rps ?? null),
      audit_vs_select: ratio(m.audit?.auditMs ?? null, m.audit?.selectMs ?? null),
    },
    targets: TARGETS,
    ceilings: CEILINGS,
    mode: m.mode,
  };
}

/** The machine-readable last line of the run. */
export function formatReportLine(report: BenchReport): string {
  return JSON.stringify(report);
}

/** One human line per ratio: value, target and whether it is met. */
export function verdictLines(report: BenchReport): string[] {
  const rebuild = report.rebuild_board.ours;
  const rebuildLine = `${'rebuild_board'.padEnd(22)} ${rebuild === null ? '   -' : String(rebuild).padStart(5)}  (target ≥ ${REBUILD_BOARD_TARGET} ev/s)  ${rebuild === null ? 'not measured' : rebuild >= REBUILD_BOARD_TARGET ? 'met' : 'MISSED'}`;
  const ceilingLines = (Object.keys(CEILINGS) as CeilingName[]).map((name) => {
    const value = report.ratios[name];
    const verdict = value === null ? 'not measured' : value <= CEILINGS[name] ? 'met' : 'MISSED';
    return `${name.padEnd(22)} ${value === null ? '   -' : value.toFixed(2).padStart(5)}  (target ≤ ${CEILINGS[name].toFixed(1)})  ${verdict}`;
  });
  return [...ratioLines(report), rebuildLine, ...ceilingLines];
}

function ratioLines(report: BenchReport): string[] {
  return (Object.keys(TARGETS) as RatioName[]).map((name) => {
    const value = report.ratios[name];
    const target = TARGETS[name];
    const verdict = value === null ? 'not measured' : value >= target ? 'met' : 'MISSED';
    return `${name.padEnd(22)} ${value === null ? '   -' : value.toFixed(2).padStart(5)}  (target ≥ ${target.toFixed(1)})  ${verdict}`;
  });
}

export function formatRate(value: Rate): string {
  return usable(value) ? `${Math.round(value).toLocaleString('en-US')} ev/s` : 'n/a';
}
