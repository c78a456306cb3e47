import { toBeijingIso } from '@app/shared-kernel';
import { periodBounds, previousPeriod } from './bulletin-period';
import { BASE_SCORE, BULLETIN_WEIGHT_NAMES, LAST_PLACES, rankRows, scoreOf, scoreUnits, type BulletinUnitRow, type BulletinWeights, type UnitMonthCounts } from './bulletin-scoring';
import { BULLETIN_FORMAT, BULLETIN_FORMAT_VERSION, type BulletinDocument, type InterviewFlag } from './bulletin.events';

const RULE = `score = ${BASE_SCORE} + closedOnTime × weights.closedOnTime − Σ count × weights[count] for ${BULLETIN_WEIGHT_NAMES.filter((n) => n !== 'closedOnTime').join(', ')}; rounded to 0.01`;
const TIES = `equal scores share a rank (1, 2, 2, 4), listed by unit id; a unit is in the last ${LAST_PLACES} places when some unit scored higher and fewer than ${LAST_PLACES} scored lower`;

/**
 * 约谈: the units in the last places of this bulletin that were in the last places of the previous
 * month's too. Only the month just before counts: a month without a bulletin breaks the run.
 */
export function interviewFlags(previous: Pick<BulletinDocument, 'period' | 'units'> | null, current: Pick<BulletinDocument, 'period' | 'units'>): InterviewFlag[] {
  if (previous === null || previous.period !== previousPeriod(current.period)) return [];
  const before = new Map(previous.units.filter((u) => u.lastPlaces).map((u) => [u.unitId, u.rank]));
  return current.units.flatMap((u) => {
    const rank = before.get(u.unitId);
    return u.lastPlaces && rank !== undefined ? [{ unitId: u.unitId, periods: [previous.period, current.period] as [string, string], ranks: [rank, u.rank] as [number, number] }] : [];
  });
}

export interface BulletinInput {
  period: string;
  units: readonly UnitMonthCounts[];
  weights: BulletinWeights;
  /** The previous month's bulletin, when it was issued. */
  previous: BulletinDocument | null;
  issuedAt: string;
  issuedBy: { personId: string; name: string };
}

/** The bulletin as it will be frozen: scored, ranked, flagged. */
export function composeBulletin(input: BulletinInput): BulletinDocument {
  const { from, to } = periodBounds(input.period);
  const units = scoreUnits(input.units, input.weights);
  return {
    format: BULLETIN_FORMAT,
    formatVersion: BULLETIN_FORMAT_VERSION,
    period: input.period,
    from: toBeijingIso(from),
    to: toBeijingIso(to),
    issuedAt: toBeijingIso(input.issuedAt),
    issuedBy: input.issuedBy,
    scoring: { base: BASE_SCORE, weights: { ...input.weights }, lastPlaces: LAST_PLACES, rule: RULE, ties: TIES },
    units,
    interviewFlags: interviewFlags(input.previous, { period: input.period, units }),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a bulletin's numbers do not follow from its own counts and scoring rule: each unit's
 * targets exceeded, score, rank and place, and each flag's rank this month. Tells a reader which
 * number was changed; the seal, not this, is what proves a bulletin intact.
 */
export function bulletinInconsistencies(document: unknown): string[] {
  if (!isRecord(document) || !Array.isArray(document.units) || !isRecord(document.scoring) || !isRecord(document.scoring.weights)) return ['the document is not a bulletin (units, scoring.weights)'];
  const weights = document.scoring.weights as Record<string, unknown>;
  if (!BULLETIN_WEIGHT_NAMES.every((n) => typeof weights[n] === 'number')) return ['scoring.weights lacks a weight'];
  const problems: string[] = [];
  const rows = document.units as BulletinUnitRow[];
  const restated = rows.map((row) => {
    const counts = isRecord(row.counts) ? row.counts : ({} as BulletinUnitRow['counts']);
    const targets = Array.isArray(row.targets) ? row.targets : [];
    const exceeded = targets.filter((t) => t.usedToDate > t.limit).length;
    if (counts.targetsExceeded !== exceeded) problems.push(`units[${row.unitId}].counts.targetsExceeded is ${counts.targetsExceeded}, but ${exceeded} of its targets are above their limit`);
    const score = scoreOf({ ...counts, targetsExceeded: exceeded }, weights as unknown as BulletinWeights);
    if (row.score !== score) problems.push(`units[${row.unitId}].score is ${row.score}, but its counts under the bulletin's weights give ${score}`);
    return { ...row, score };
  });
  const ranked = new Map(rankRows(restated).map((r) => [r.unitId, r]));
  for (const row of rows) {
    const expected = ranked.get(row.unitId);
    if (expected === undefined) continue;
    if (row.rank !== expected.rank) problems.push(`units[${row.unitId}].rank is ${row.rank}, but the scores give ${expected.rank}`);
    if (row.lastPlaces !== expected.lastPlaces) problems.push(`units[${row.unitId}].lastPlaces is ${String(row.lastPlaces)}, but the scores give ${String(expected.lastPlaces)}`);
  }
  for (const flag of Array.isArray(document.interviewFlags) ? (document.interviewFlags as InterviewFlag[]) : []) {
    const row = ranked.get(flag.unitId);
    if (row === undefined || !row.lastPlaces || flag.ranks?.[1] !== row.rank) problems.push(`interviewFlags[${flag.unitId}] does not match the unit's place in this bulletin`);
  }
  return problems;
}
