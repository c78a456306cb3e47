import { z } from 'zod';
import { id, instant, text } from '../http/fields';

const reason = text(2000);
export const empty = z.object({}).strict();
export const objection = z.object({ reason }).strict();
export const objectionDecision = z.object({ uphold: z.boolean(), reassignTo: id.optional(), reason }).strict();
export const progressReport = z.object({ summary: text(4000), percent: z.number().int().min(0).max(100).optional(), occurredAt: instant.optional() }).strict();
export const extensionRequest = z.object({ reason, proposedDueAt: instant, progress: text(4000) }).strict();
export const extensionDecision = z.object({ approve: z.boolean(), dueAt: instant.optional(), reason }).strict();
export const completionReport = z.object({ summary: text(4000), evidence: text(4000).optional() }).strict();
export const review = z.object({ decision: z.enum(['accept', 'send_back']), reason }).strict();
export const reminder = z.object({ message: text(2000) }).strict();
export const caseLeader = z.object({ personId: id, name: text(100), reason }).strict();
export const escalation = z.object({ level: z.enum(['blue', 'yellow', 'red', 'listed']), reason }).strict();
export const evaluation = z.object({ rating: z.number().int().min(1).max(5), comment: text(2000).optional() }).strict();
export const reopen = z.object({ reason, dueAt: instant.optional() }).strict();
export const cancel = z.object({ reason }).strict();
