import type { PostTerm } from '@app/units';
import { proposeAttribution, type DecisionFacts } from './attribution';

const term = (personId: string, post: PostTerm['post'], from: string, to: string | null, unitId = 'cs'): PostTerm => ({
  unitId, personId, name: personId.toUpperCase(), post, from, to, assignedEventId: `assign-${personId}`, endedEventId: to === null ? null : `end-${personId}`,
});

describe('proposeAttribution (实施办法 第11条)', () => {
  const deadline = '2026-03-01T09:00:00.000Z';
  const overdue = { kind: 'overdue' as const, at: deadline, unitIds: ['cs'], eventId: 'ev-overdue' };

  it('names the leader in post at the deadline, not one who left before it', () => {
    const terms = [
      term('old', 'primary_leader', '2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      term('new', 'primary_leader', '2026-02-01T00:00:00.000Z', null),
      term('h', 'handler', '2025-06-01T00:00:00.000Z', null),
      term('pl', 'portfolio_leader', '2025-06-01T00:00:00.000Z', null),
      term('later', 'portfolio_leader', '2026-03-05T00:00:00.000Z', null),
    ];
    const lines = proposeAttribution({ decision: null, omissions: [overdue], terms });
    expect(lines.map((l) => [l.personId, l.role, l.liability]).sort()).toEqual([
      ['h', 'handler', 'direct'],
      ['new', 'primary_leader', 'leadership'],
      ['pl', 'portfolio_leader', 'leadership'],
    ]);
    expect(lines.find((l) => l.personId === 'new')?.evidence).toEqual(['ev-overdue', 'assign-new']);
  });

  it('ignores posts of other units and liaisons', () => {
    const terms = [term('x', 'primary_leader', '2025-01-01T00:00:00.000Z', null, 'other'), term('li', 'liaison', '2025-01-01T00:00:00.000Z', null)];
    expect(proposeAttribution({ decision: null, omissions: [overdue], terms })).toEqual([]);
  });

  it('gathers several missed deadlines of one person into one line with every ground', () => {
    const terms = [term('h', 'handler', '2025-01-01T00:00:00.000Z', null)];
    const missed = (n: number) => ({ kind: 'progress_report_missed' as const, at: `2026-0${n}-01T00:00:00.000Z`, unitIds: ['cs'], eventId: `miss-${n}` });
    const lines = proposeAttribution({ decision: null, omissions: [missed(1), missed(2)], terms });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.grounds.map((g) => g.eventId)).toEqual(['miss-1', 'miss-2']);
    expect(lines[0]?.evidence).toEqual(['miss-1', 'assign-h', 'miss-2']);
  });

  it('gives deciders primary, participants important, and a recorded dissenter no leadership liability', () => {
    const decision: DecisionFacts = {
      eventId: 'ev-decision', at: '2026-01-10T02:00:00.000Z', deciders: ['sj'], participants: ['zr', 'dis'],
      dissents: [{ personId: 'dis', opinion: '时限过紧' }], names: { sj: '副书记', zr: '主任', dis: '局长' },
    };
    const lines = proposeAttribution({ decision, omissions: [], terms: [] });
    expect(lines.map((l) => [l.personId, l.name, l.role, l.liability, l.basis])).toEqual([
      ['sj', '副书记', 'decider', 'primary_leadership', 'decision'],
      ['zr', '主任', 'participant', 'important_leadership', 'decision'],
      ['dis', '局长', 'dissenter', 'none', 'decision'],
    ]);
    expect(lines.every((l) => l.evidence.includes('ev-decision'))).toBe(true);
  });
});
