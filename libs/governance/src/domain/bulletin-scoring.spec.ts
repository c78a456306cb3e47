import { loadConfig } from '@app/config';
import { BASE_SCORE, DEFAULT_BULLETIN_WEIGHTS, scoreUnits, type BulletinWeights, type UnitMonthCounts } from './bulletin-scoring';
import { unitMonth } from './month-counts.spec-helper';

const unit = unitMonth;
const table = (units: UnitMonthCounts[], weights: BulletinWeights = DEFAULT_BULLETIN_WEIGHTS) => scoreUnits(units, weights).map((r) => `${r.rank} ${r.unitId} ${r.score}${r.lastPlaces ? ' last' : ''}`);

describe('bulletin scoring (月通报): score and rank per unit', () => {
  it('starts every unit at 100, adds for tasks closed on time and takes off each weighted failure', () => {
    const [row] = scoreUnits(
      [unit('hedong', { dueInMonth: 4, closedOnTime: 3, overdue: 1, sentBack: 1, missedProgressReports: 2, missedDailyReports: 1, incidents: 2, incidentPersons: 6, findings: 4, targets: [{ metric: 'beijing_visit', limit: 3, usedToDate: 6 }] })],
      DEFAULT_BULLETIN_WEIGHTS,
    );
    // 100 + 3×2 − 5 − 2 − 2×2 − 3 − 6×1 − 5 (one target exceeded) − 4×1 = 77; incidents and tasks due only inform.
    expect(row).toEqual({
      unitId: 'hedong',
      name: 'hedong',
      counts: { dueInMonth: 4, closedOnTime: 3, overdue: 1, sentBack: 1, missedProgressReports: 2, missedDailyReports: 1, incidents: 2, incidentPersons: 6, targetsExceeded: 1, findings: 4 },
      targets: [{ metric: 'beijing_visit', limit: 3, usedToDate: 6, exceeded: true }],
      score: 77,
      rank: 1,
      lastPlaces: false,
    });
    expect(scoreUnits([unit('quiet')], DEFAULT_BULLETIN_WEIGHTS)[0]?.score).toBe(BASE_SCORE);
  });

  it('counts a target as exceeded only above its limit (6 of 3, not 3 of 3), and a zero limit once anything is used', () => {
    const targets = [
      { metric: 'collective_visit', limit: 3, usedToDate: 3 },
      { metric: 'beijing_visit', limit: 0, usedToDate: 1 },
    ];
    const [row] = scoreUnits([unit('a', { targets })], DEFAULT_BULLETIN_WEIGHTS);
    expect(row?.targets.map((t) => [t.metric, t.exceeded])).toEqual([
      ['beijing_visit', true],
      ['collective_visit', false],
    ]);
    expect(row?.counts.targetsExceeded).toBe(1);
  });

  it('follows the configured weights, to the hundredth; BULLETIN_WEIGHTS unset gives these defaults', () => {
    expect(loadConfig({}).bulletinWeights).toEqual(DEFAULT_BULLETIN_WEIGHTS);
    const weights = { ...DEFAULT_BULLETIN_WEIGHTS, overdue: 0.1, closedOnTime: 0 };
    expect(table([unit('a', { overdue: 3, closedOnTime: 9 })], weights)).toEqual(['1 a 99.7']);
  });

  it('ranks best first; equal scores share a rank and the next rank skips (1, 2, 2, 4), tied units in id order', () => {
    const units = [unit('e', { overdue: 4 }), unit('d', { overdue: 3 }), unit('c', { overdue: 1 }), unit('b', { overdue: 1 }), unit('a')];
    expect(table(units)).toEqual(['1 a 100', '2 b 95', '2 c 95', '4 d 85 last', '5 e 80 last']);
  });

  it('puts the last two places on the two lowest scores, and on every unit tied for them', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((id, i) => unit(id, { findings: i }));
    expect(table(five)).toEqual(['1 a 100', '2 b 99', '3 c 98', '4 d 97 last', '5 e 96 last']);
    const tiedLast = [unit('a'), unit('b', { findings: 1 }), unit('c', { findings: 2 }), unit('d', { findings: 2 }), unit('e', { findings: 2 })];
    expect(table(tiedLast)).toEqual(['1 a 100', '2 b 99', '3 c 98 last', '3 d 98 last', '3 e 98 last']);
    const tiedSecondLast = [unit('a'), unit('b', { findings: 1 }), unit('c', { findings: 1 }), unit('d', { findings: 2 })];
    expect(table(tiedSecondLast)).toEqual(['1 a 100', '2 b 99 last', '2 c 99 last', '4 d 98 last']);
  });

  it('puts nobody in the last places when all score the same, and only the one behind when all others tie at the top', () => {
    expect(table([unit('a'), unit('b'), unit('c')])).toEqual(['1 a 100', '1 b 100', '1 c 100']);
    expect(table([unit('a'), unit('b'), unit('c'), unit('d', { sentBack: 1 })])).toEqual(['1 a 100', '1 b 100', '1 c 100', '4 d 98 last']);
  });
});
