/**
 * How the monthly bulletin (月通报) scores and ranks member units: pure arithmetic over per-unit
 * counts, so that anyone holding a bulletin can redo it (the CLI's verify-bulletin does).
 *
 * score = 100 + closedOnTime × w − (overdue + sentBack + missedProgressReports + missedDailyReports
 *         + incidentPersons + targetsExceeded + findings, each × its own w), rounded to 0.01.
 * Weights are points per item, never negative; closedOnTime adds, every other count subtracts.
 */

/** The counts that weigh in the score, in the order a reader meets them; each is also a weight's name (BULLETIN_WEIGHTS). */
export const BULLETIN_WEIGHT_NAMES = ['closedOnTime', 'overdue', 'sentBack', 'missedProgressReports', 'missedDailyReports', 'incidentPersons', 'targetsExceeded', 'findings'] as const;
export type BulletinWeightName = (typeof BULLETIN_WEIGHT_NAMES)[number];
export type BulletinWeights = Readonly<Record<BulletinWeightName, number>>;

/** The defaults (README "How the bulletin scores units"): an overdue task costs what 2.5 tasks closed on time earn. */
export const DEFAULT_BULLETIN_WEIGHTS: BulletinWeights = { closedOnTime: 2, overdue: 5, sentBack: 2, missedProgressReports: 2, missedDailyReports: 3, incidentPersons: 1, targetsExceeded: 5, findings: 1 };

/** Every unit starts the month with this score. */
export const BASE_SCORE = 100;

/** 约谈 follows two consecutive bulletins in the last this-many places (DOMAIN.md §7). */
export const LAST_PLACES = 2;

/** A yearly control target (控制指标) and its use from 1 January to the end of the month. */
export interface TargetUse {
  metric: string;
  limit: number;
  usedToDate: number;
}

/** One unit's counts for one month, as the read models give them. */
export interface MonthCounts {
  /** Tasks led by the unit whose deadline in force falls in the month (context, not scored). */
  dueInMonth: number;
  /** Of those, closed (销号) with the completion report in by the deadline. */
  closedOnTime: number;
  /** Tasks led by the unit that went overdue in the month (their deadline passed in it, no extension). */
  overdue: number;
  /** Completion reports the office sent back in the month. */
  sentBack: number;
  /** Progress reports due in the month and missed. */
  missedProgressReports: number;
  /** Daily reports (零报告) of days in the month missed at the cut-off. */
  missedDailyReports: number;
  /** Incidents that occurred in the month (context) and their persons (人次, scored). */
  incidents: number;
  incidentPersons: number;
  /** Findings recorded in the month naming the unit. */
  findings: number;
}

/** What the read models say of one member unit for one month (the score's input). */
export interface UnitMonthCounts extends MonthCounts {
  unitId: string;
  name: string;
  targets: TargetUse[];
}

/** A bulletin row's counts: the month's, and how many yearly targets are used above their limit by the month's end. */
export interface BulletinCounts extends MonthCounts {
  targetsExceeded: number;
}

/** One unit's row of the bulletin. */
export interface BulletinUnitRow {
  unitId: string;
  name: string;
  counts: BulletinCounts;
  targets: (TargetUse & { exceeded: boolean })[];
  score: number;
  /** 1 + the number of units with a higher score: ties share a rank, and the next rank skips (1, 2, 2, 4). */
  rank: number;
  /** In the last LAST_PLACES places: some unit scored higher, and fewer than LAST_PLACES scored lower. */
  lastPlaces: boolean;
}

const round2 = (n: number): number => Math.round(n * 100) / 100 + 0;

/** The unit's score under `weights` (see the file's comment). */
export function scoreOf(counts: BulletinCounts, weights: BulletinWeights): number {
  let score = BASE_SCORE + counts.closedOnTime * weights.closedOnTime;
  for (const name of BULLETIN_WEIGHT_NAMES) if (name !== 'closedOnTime') score -= counts[name] * weights[name];
  return round2(score);
}

function countsOf(unit: UnitMonthCounts): { counts: BulletinCounts; targets: BulletinUnitRow['targets'] } {
  const targets = [...unit.targets].sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0)).map((t) => ({ ...t, exceeded: t.usedToDate > t.limit }));
  const { dueInMonth, closedOnTime, overdue, sentBack, missedProgressReports, missedDailyReports, incidents, incidentPersons, findings } = unit;
  return { counts: { dueInMonth, closedOnTime, overdue, sentBack, missedProgressReports, missedDailyReports, incidents, incidentPersons, targetsExceeded: targets.filter((t) => t.exceeded).length, findings }, targets };
}

/**
 * Ranks scored rows: best score first, ties in unit id order; ranks as on BulletinUnitRow. Units
 * tied for the last places are all in them, so one bulletin may flag more than LAST_PLACES units;
 * when every unit has the same score nobody is behind anybody and none is in the last places.
 */
export function rankRows(rows: readonly Omit<BulletinUnitRow, 'rank' | 'lastPlaces'>[]): BulletinUnitRow[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  return sorted.map((row) => {
    const higher = sorted.filter((r) => r.score > row.score).length;
    const lower = sorted.filter((r) => r.score < row.score).length;
    return { ...row, rank: higher + 1, lastPlaces: higher > 0 && lower < LAST_PLACES };
  });
}

/** The bulletin's table: every unit's counts, score and rank, best first. */
export function scoreUnits(units: readonly UnitMonthCounts[], weights: BulletinWeights): BulletinUnitRow[] {
  return rankRows(
    units.map((unit) => {
      const { counts, targets } = countsOf(unit);
      return { unitId: unit.unitId, name: unit.name, counts, targets, score: scoreOf(counts, weights) };
    }),
  );
}
