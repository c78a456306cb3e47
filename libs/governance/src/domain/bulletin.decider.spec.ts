import { given } from '@app/testing';
import { composeBulletin, bulletinInconsistencies, interviewFlags, type BulletinInput } from './bulletin';
import { bulletinDecider, type BulletinCommand } from './bulletin.decider';
import { nextPeriod, periodBounds, previousPeriod } from './bulletin-period';
import { DEFAULT_BULLETIN_WEIGHTS } from './bulletin-scoring';
import { unitMonth } from './month-counts.spec-helper';
import { bulletinStreamId, type BulletinDocument, type BulletinEvent } from './bulletin.events';

const unit = (unitId: string, findings = 0) => unitMonth(unitId, { findings });
const OFFICE_LEAD = { personId: 'p-ld', name: '联席办主任 李东' };
const SEAL = { algorithm: 'ed25519', keyId: 'k1', digest: 'd', signature: 's' };
/** Four units; the findings given decide the order (fewer is better). */
const bulletin = (period: string, findings: Record<string, number>, previous: BulletinDocument | null = null, overrides: Partial<BulletinInput> = {}): BulletinDocument =>
  composeBulletin({
    period,
    units: Object.entries(findings).map(([id, n]) => unit(id, n)),
    weights: DEFAULT_BULLETIN_WEIGHTS,
    previous,
    issuedAt: '2026-06-01T02:00:00.000Z',
    issuedBy: OFFICE_LEAD,
    ...overrides,
  });
const issue = (document: BulletinDocument, overrides: Partial<BulletinCommand> = {}): BulletinCommand => ({
  type: 'IssueBulletin',
  period: document.period,
  document,
  seal: SEAL,
  publicKey: 'PEM',
  laterIssued: false,
  now: '2026-06-01T02:00:00.000Z',
  ...overrides,
});
const issued = (document: BulletinDocument): BulletinEvent => ({ type: 'governance.bulletin-issued.v1', data: { period: document.period, document, seal: SEAL, publicKey: 'PEM' } });

describe('monthly bulletins (月通报): issued once, after the month, frozen with their seal', () => {
  const may = bulletin('2026-05', { a: 0, b: 1, c: 2, d: 3 });

  it('works in Beijing months: May runs from 1 May 00:00 to 1 June 00:00 (+08:00), and December rolls into the next year', () => {
    expect(periodBounds('2026-05')).toEqual({ period: '2026-05', year: 2026, from: '2026-04-30T16:00:00.000Z', to: '2026-05-31T16:00:00.000Z' });
    expect([previousPeriod('2026-01'), nextPeriod('2026-12')]).toEqual(['2025-12', '2027-01']);
    expect(may).toMatchObject({ period: '2026-05', from: '2026-05-01T00:00:00.000+08:00', to: '2026-06-01T00:00:00.000+08:00', issuedAt: '2026-06-01T10:00:00.000+08:00', issuedBy: OFFICE_LEAD });
  });

  it('freezes the whole document with its seal in the month’s own stream, once the month is over', () => {
    expect(bulletinStreamId('2026-05')).toBe('governance.bulletin-2026-05');
    given(bulletinDecider, []).when(issue(may)).then([issued(may)]);
    // Beijing midnight is 16:00 UTC the day before: one millisecond earlier May is not over.
    given(bulletinDecider, []).when(issue(may, { now: '2026-05-31T15:59:59.999Z' })).refuses('PERIOD_NOT_ENDED', 'rule');
    given(bulletinDecider, []).when(issue(may, { now: '2026-05-31T16:00:00.000Z' })).then([issued(may)]);
  });

  it('refuses a second issue of the same month, a bad period, and a month whose successor is issued already', () => {
    given(bulletinDecider, [issued(may)]).when(issue(may)).refuses('BULLETIN_ALREADY_ISSUED', 'conflict');
    given(bulletinDecider, []).when(issue(may, { period: '2026-13' })).refuses('INVALID_PERIOD', 'invalid');
    given(bulletinDecider, []).when(issue(may, { laterIssued: true })).refuses('LATER_BULLETIN_ISSUED', 'rule');
  });

  it('flags for 约谈 the units in the last two places of this and the previous month’s bulletin, with both ranks, one event each', () => {
    const june = bulletin('2026-06', { a: 0, b: 3, c: 2, d: 1 }, may);
    // May's last two: c (3rd), d (4th); June's: c (3rd), b (4th). Only c was in both.
    expect(june.interviewFlags).toEqual([{ unitId: 'c', periods: ['2026-05', '2026-06'], ranks: [3, 3] }]);
    given(bulletinDecider, []).when(issue(june, { now: '2026-07-01T01:00:00.000Z' })).then([
      issued(june),
      { type: 'governance.interview-flagged.v1', data: { period: '2026-06', unitId: 'c', periods: ['2026-05', '2026-06'], ranks: [3, 3] } },
    ]);
    const same = bulletin('2026-06', { a: 0, b: 1, c: 2, d: 3 }, may);
    expect(same.interviewFlags.map((f) => [f.unitId, f.ranks])).toEqual([
      ['c', [3, 3]],
      ['d', [4, 4]],
    ]);
  });

  it('flags nobody without the previous month’s bulletin: the first bulletin, or after a month without one', () => {
    expect(bulletin('2026-05', { a: 0, b: 1, c: 2, d: 3 }).interviewFlags).toEqual([]);
    expect(interviewFlags(may, { period: '2026-07', units: may.units })).toEqual([]);
    expect(interviewFlags(may, { period: '2026-06', units: may.units }).map((f) => f.unitId)).toEqual(['c', 'd']);
  });

  it('tells which number of a bulletin does not follow from its counts and rule', () => {
    expect(bulletinInconsistencies(may)).toEqual([]);
    const changed = structuredClone(may);
    const d = changed.units.find((u) => u.unitId === 'd');
    if (!d) throw new Error('no unit d');
    d.counts.findings = 1;
    // The first problem names the changed row; ranks recomputed from the restated score follow.
    expect(bulletinInconsistencies(changed)[0]).toBe("units[d].score is 97, but its counts under the bulletin's weights give 99");
    const reranked = structuredClone(may);
    if (reranked.units[0]) reranked.units[0].rank = 2;
    expect(bulletinInconsistencies(reranked)).toEqual(['units[a].rank is 2, but the scores give 1']);
    expect(bulletinInconsistencies({ units: 'none' })).toEqual(['the document is not a bulletin (units, scoring.weights)']);
  });
});
