import { buildReport, formatRate, formatReportLine, ratio, roundRate, TARGETS, verdictLines, type Measurements } from './report';

function measurements(overrides: Partial<Measurements> = {}): Measurements {
  return {
    mode: 'quick',
    append1x8: { ours: 8123.456, raw: 10_000.4, emmett: 3500 },
    append100x1: { ours: 50_000, raw: 70_000, emmett: 29_000 },
    readAll: { ours: 60_000.5, raw: 100_000 },
    growth: { empty: 8000, filled: 7200, filledEvents: 200_000 },
    rebuildBoard: 31_234.6,
    rest: { baseline: { rps: 8000.4, p50: 1, p99: 4, errors: 0 }, board: { rps: 5000, p50: 1, p99: 6, errors: 0 }, report: { rps: 3000, p50: 2, p99: 9, errors: 0 } },
    audit: { events: 1000, auditMs: 30.04, selectMs: 20, stateAsOfMs: 12.345 },
    ...overrides,
  };
}

describe('bench report', () => {
  it('rounds rates to whole events per second and ratios to two decimals', () => {
    expect(roundRate(8123.5)).toBe(8124);
    expect(ratio(2, 3)).toBe(0.67);
    expect(ratio(8123.456, 10_000.4)).toBe(0.81);
  });

  it('has no ratio when a side is missing or the divisor is not positive', () => {
    expect(ratio(null, 100)).toBeNull();
    expect(ratio(100, null)).toBeNull();
    expect(ratio(100, 0)).toBeNull();
    expect(roundRate(Number.NaN)).toBeNull();
  });

  it('computes the ratios of DESIGN.md §8 and the growth ratio', () => {
    const report = buildReport(measurements());
    expect(report.ratios).toEqual({ append_1x8_vs_raw: 0.81, append_1x8_vs_emmett: 2.32, append_100x1_vs_raw: 0.71, read_all_vs_raw: 0.6, board_vs_baseline: 0.62, report_vs_baseline: 0.37, audit_vs_select: 1.5 });
    expect(report.audit).toEqual({ events: 1000, auditMs: 30, selectMs: 20, stateAsOfMs: 12.3 });
    expect(buildReport(measurements({ audit: null })).ratios.audit_vs_select).toBeNull();
    expect(buildReport(measurements({ rest: null })).ratios.board_vs_baseline).toBeNull();
    expect(report.growth).toEqual({ empty: 8000, filled: 7200, filledEvents: 200_000, ratio: 0.9 });
    expect(report.append_1x8).toEqual({ ours: 8123, raw: 10_000, emmett: 3500 });
  });

  it('prints one JSON line with the keys in the documented order', () => {
    const line = formatReportLine(buildReport(measurements({ mode: 'full' })));
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['append_1x8', 'append_100x1', 'read_all', 'rebuild_board', 'rest', 'growth', 'audit', 'ratios', 'targets', 'ceilings', 'mode']);
    expect(parsed.ratios).toMatchObject({ board_vs_baseline: 0.62, report_vs_baseline: 0.37 });
    expect((parsed.rest as { baseline: unknown }).baseline).toEqual({ rps: 8000, p50: 1, p99: 4, errors: 0 });
    expect(parsed.rebuild_board).toEqual({ ours: 31_235 });
    expect(parsed.targets).toEqual({ append_1x8_vs_raw: 0.8, append_1x8_vs_emmett: 2, append_100x1_vs_raw: 0.7, read_all_vs_raw: 0.5, board_vs_baseline: 0.6, report_vs_baseline: 0.4 });
    expect(parsed.mode).toBe('full');
  });

  it('keeps failed measurements as null in the line', () => {
    const report = buildReport(measurements({ append1x8: { ours: null, raw: 10_000, emmett: 3500 } }));
    expect(report.append_1x8.ours).toBeNull();
    expect(report.ratios.append_1x8_vs_raw).toBeNull();
    expect(formatReportLine(report)).toContain('"append_1x8":{"ours":null,"raw":10000,"emmett":3500}');
  });

  it('says for each ratio whether its target is met', () => {
    const lines = verdictLines(buildReport(measurements({ readAll: { ours: 40_000, raw: 100_000 } })));
    expect(lines).toHaveLength(Object.keys(TARGETS).length + 2);
    expect(lines[0]).toMatch(/^append_1x8_vs_raw\s+0\.81 .* met$/);
    expect(lines[3]).toMatch(/^read_all_vs_raw\s+0\.40 .* MISSED$/);
    expect(lines[6]).toMatch(/^rebuild_board\s+31235 .* met$/);
    expect(verdictLines(buildReport(measurements({ rebuildBoard: 12_000 })))[6]).toMatch(/MISSED$/);
    expect(lines[7]).toMatch(/^audit_vs_select\s+1\.50\s+\(target ≤ 2\.0\)\s+met$/);
    expect(verdictLines(buildReport(measurements({ audit: { events: 1000, auditMs: 50, selectMs: 20, stateAsOfMs: 5 } })))[7]).toMatch(/2\.50 .* MISSED$/);
    expect(formatRate(12_345.6)).toBe('12,346 ev/s');
    expect(formatRate(null)).toBe('n/a');
  });
});
