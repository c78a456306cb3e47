import { z } from 'zod';
import { SOURCE_KINDS, type IssueTaskInput } from '@app/supervision';
import { id, instant, text } from '../http/fields';
import { petitionerBody } from './petitioner';

/** API.md's TaskSpec: a task as the office issues it, alone or from a meeting decision. */
export const taskSpec = z
  .object({
    id: id.optional(),
    title: text(200),
    description: text(4000),
    source: z.object({ kind: z.enum(SOURCE_KINDS), ref: text(200).nullable().optional() }).strict(),
    leadUnitId: id,
    coUnitIds: z.array(id).max(50).optional(),
    dueAt: instant,
    signForDueAt: instant.optional(),
    reportEveryDays: z.number().int().min(1).max(366).optional(),
    caseLeader: z.object({ personId: id, name: text(100) }).strict().optional(),
    plan: text(4000).optional(),
  })
  .strict();

export type TaskSpec = z.infer<typeof taskSpec>;

/** POST /tasks: a TaskSpec that may name the petitioner of a petition case (meeting decisions never do). */
export const issueTaskBody = taskSpec.extend({ petitioner: petitionerBody.optional() });

export type IssueTaskBody = z.infer<typeof issueTaskBody>;

export function issueInput(spec: TaskSpec): IssueTaskInput {
  return {
    title: spec.title,
    description: spec.description,
    source: { kind: spec.source.kind, ref: spec.source.ref ?? null },
    leadUnitId: spec.leadUnitId,
    coUnitIds: spec.coUnitIds ?? [],
    dueAt: spec.dueAt,
    signForDueAt: spec.signForDueAt ?? null,
    reportEveryDays: spec.reportEveryDays ?? null,
    caseLeader: spec.caseLeader ?? null,
    plan: spec.plan ?? null,
  };
}
