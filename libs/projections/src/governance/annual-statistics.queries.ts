import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { FINDING_RULES, type FindingRule } from '@app/findings';
import { RECOMMENDATION_KINDS, type RecommendationKind } from '@app/governance';
import { toBeijingIso } from '@app/shared-kernel';
import { READ_MODELS } from '../read-models';

/** How many units "the units with most findings" names (units tied with the last of them are named too). */
export const TOP_FINDING_UNITS = 5;

export const STATISTICS_ESCALATION_LEVELS = ['blue', 'yellow', 'red', 'listed'] as const;

export interface UnitFindings {
  unitId: string;
  name: string;
  count: number;
}

/** 条例 41: what the joint meeting reports of a year's supervision, Beijing calendar year. */
export interface AnnualStatistics {
  year: number;
  from: string;
  to: string;
  tasks: {
    /** Tasks issued (交办/督办) in the year. */
    issued: number;
    /** Tasks the office reminded (催办) or escalated in the year. */
    supervised: number;
    /** Tasks escalated in the year, to any level, and to each level. */
    escalated: number;
    escalatedByLevel: Record<(typeof STATISTICS_ESCALATION_LEVELS)[number], number>;
    /** Tasks whose deadline passed in the year without completion. */
    overdue: number;
    /** Tasks closed (销号) in the year, and those closed on time. */
    closed: number;
    closedOnTime: number;
  };
  /** Recommendations made in the year, answered and adopted (so far). */
  recommendations: { made: number; answered: number; adopted: number; byKind: Record<RecommendationKind, { made: number; answered: number; adopted: number }> };
  /** Findings recorded in the year, by rule and by unit (most first). */
  findings: { total: number; byRule: Record<FindingRule, number>; byUnit: UnitFindings[]; topUnits: (UnitFindings & { rank: number })[] };
}

export class AnnualStatisticsQuery extends Query<AnnualStatistics> {
  constructor(readonly year: number) {
    super();
  }
}

const TASKS_SQL = `
  SELECT count(DISTINCT task_id) FILTER (WHERE fact = 'issued') AS issued,
         count(DISTINCT task_id) FILTER (WHERE fact IN ('reminder', 'escalated')) AS supervised,
         count(DISTINCT task_id) FILTER (WHERE fact = 'escalated') AS escalated,
         count(DISTINCT task_id) FILTER (WHERE fact = 'escalated' AND level = 'blue') AS blue,
         count(DISTINCT task_id) FILTER (WHERE fact = 'escalated' AND level = 'yellow') AS yellow,
         count(DISTINCT task_id) FILTER (WHERE fact = 'escalated' AND level = 'red') AS red,
         count(DISTINCT task_id) FILTER (WHERE fact = 'escalated' AND level = 'listed') AS listed,
         count(DISTINCT task_id) FILTER (WHERE fact = 'overdue') AS overdue,
         count(DISTINCT task_id) FILTER (WHERE fact = 'closed') AS closed,
         count(DISTINCT task_id) FILTER (WHERE fact = 'closed' AND on_time) AS closed_on_time
    FROM rm_task_facts WHERE at >= $1 AND at < $2`;

const RECOMMENDATIONS_SQL = `
  SELECT kind, count(*) AS made, count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered, count(*) FILTER (WHERE adopted) AS adopted
    FROM rm_recommendations WHERE made_at >= $1 AND made_at < $2 GROUP BY kind`;

const FINDINGS_SQL = `
  SELECT f.rule, f.unit_id, u.name, count(*) AS n
    FROM rm_findings f LEFT JOIN rm_units u ON u.unit_id = f.unit_id
   WHERE f.detected_at >= $1 AND f.detected_at < $2 GROUP BY f.rule, f.unit_id, u.name`;

@QueryHandler(AnnualStatisticsQuery)
export class AnnualStatisticsHandler implements IQueryHandler<AnnualStatisticsQuery> {
  constructor(@Inject(READ_MODELS) private readonly db: Pool) {}

  async execute({ year }: AnnualStatisticsQuery): Promise<AnnualStatistics> {
    const from = new Date(`${year}-01-01T00:00:00+08:00`);
    const to = new Date(`${year + 1}-01-01T00:00:00+08:00`);
    const [tasks, recommendations, findings] = await Promise.all([
      this.db.query<Record<string, string>>(TASKS_SQL, [from, to]),
      this.db.query<{ kind: RecommendationKind; made: string; answered: string; adopted: string }>(RECOMMENDATIONS_SQL, [from, to]),
      this.db.query<{ rule: FindingRule; unit_id: string | null; name: string | null; n: string }>(FINDINGS_SQL, [from, to]),
    ]);
    const t = tasks.rows[0] ?? {};
    const n = (key: string): number => Number(t[key] ?? 0);

    const byKind = Object.fromEntries(RECOMMENDATION_KINDS.map((k) => [k, { made: 0, answered: 0, adopted: 0 }])) as AnnualStatistics['recommendations']['byKind'];
    for (const r of recommendations.rows) byKind[r.kind] = { made: Number(r.made), answered: Number(r.answered), adopted: Number(r.adopted) };
    const sum = (key: 'made' | 'answered' | 'adopted'): number => Object.values(byKind).reduce((total, k) => total + k[key], 0);

    const byRule = Object.fromEntries(FINDING_RULES.map((rule) => [rule, 0])) as Record<FindingRule, number>;
    const units = new Map<string, UnitFindings>();
    for (const r of findings.rows) {
      byRule[r.rule] = (byRule[r.rule] ?? 0) + Number(r.n);
      if (r.unit_id === null) continue;
      const unit = units.get(r.unit_id) ?? { unitId: r.unit_id, name: r.name ?? r.unit_id, count: 0 };
      units.set(r.unit_id, { ...unit, count: unit.count + Number(r.n) });
    }
    const byUnit = [...units.values()].sort((a, b) => b.count - a.count || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
    // Ranks as in the bulletin: ties share one, so a tie for 5th place names every unit in it.
    const ranked = byUnit.map((u) => ({ ...u, rank: 1 + byUnit.filter((v) => v.count > u.count).length }));

    return {
      year,
      from: toBeijingIso(from),
      to: toBeijingIso(to),
      tasks: {
        issued: n('issued'),
        supervised: n('supervised'),
        escalated: n('escalated'),
        escalatedByLevel: { blue: n('blue'), yellow: n('yellow'), red: n('red'), listed: n('listed') },
        overdue: n('overdue'),
        closed: n('closed'),
        closedOnTime: n('closed_on_time'),
      },
      recommendations: { made: sum('made'), answered: sum('answered'), adopted: sum('adopted'), byKind },
      findings: { total: findings.rows.reduce((total, r) => total + Number(r.n), 0), byRule, byUnit, topUnits: ranked.filter((u) => u.rank <= TOP_FINDING_UNITS) },
    };
  }
}
