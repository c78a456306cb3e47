import type { DecisionForm, Obligation, ObligationKind } from './case.events';

/**
 * Which follow-up each form of accountability obliges (问责条例 and its practice):
 * - an organisational measure (停职检查, 调整职务, 责令辞职, 降职, 免职, 改组) must be carried out,
 *   so the decision owes a `measure_completed` report;
 * - 诫勉, and 检查/通报 of an organisation, require a written self-criticism (书面检讨):
 *   `self_criticism_filed`;
 * - a 通报 of a person and a 纪律处分 take effect with the decision itself (the sanction is then
 *   carried out under the discipline organ's own procedure), so they owe nothing here.
 * Each is due one calendar month after the decision (DOMAIN.md §5, rule 9 `follow_up_overdue`).
 */
const OBLIGATION_OF: Record<DecisionForm, ObligationKind | null> = {
  circular: null,
  disciplinary_sanction: null,
  admonition: 'self_criticism_filed',
  organisation_inspection: 'self_criticism_filed',
  organisation_circular: 'self_criticism_filed',
  suspension_for_review: 'measure_completed',
  reassignment: 'measure_completed',
  ordered_resignation: 'measure_completed',
  demotion: 'measure_completed',
  removal: 'measure_completed',
  reorganisation: 'measure_completed',
};

const BEIJING_MS = 8 * 3_600_000;

/**
 * The same wall-clock time one calendar month later, in Beijing time (a decision on 31 January is
 * due on the last day of February). Calendar months are counted where the decision was taken.
 */
export function oneMonthAfter(iso: string): string {
  const local = new Date(Date.parse(iso) + BEIJING_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const due = Date.UTC(year, month, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return new Date(due - BEIJING_MS).toISOString();
}

/** One obligation per kind the forms call for, on all the decision's subjects. */
export function obligationsOf(decisionId: string, forms: readonly DecisionForm[], subjects: string[], decidedAt: string): Obligation[] {
  const kinds = new Set(forms.map((form) => OBLIGATION_OF[form]).filter((kind): kind is ObligationKind => kind !== null));
  const dueAt = oneMonthAfter(decidedAt);
  return (['measure_completed', 'self_criticism_filed'] as const).filter((kind) => kinds.has(kind)).map((kind) => ({ obligationId: `${decisionId}-${kind}`, kind, subjects, dueAt }));
}
