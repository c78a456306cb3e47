import { FINDING_RULES, RESPONSIBLE_ROLES } from '@app/findings';
import { FINDING_STATUSES } from '@app/projections';

const time = { type: 'string', format: 'date-time' } as const;
const nullableId = { type: 'string', nullable: true } as const;

const PERSON_SCHEMA = {
  type: 'object',
  description: 'Someone in charge at the time, and why they are named.',
  properties: { personId: { type: 'string' }, name: { type: 'string' }, unitId: nullableId, role: { type: 'string', enum: [...RESPONSIBLE_ROLES] } },
  required: ['personId', 'name', 'unitId', 'role'],
};

export const FINDING_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    rule: { type: 'string', enum: [...FINDING_RULES], description: 'A rule code of DOMAIN.md §5.' },
    taskId: { ...nullableId, description: 'The task it is about; null for governance rules and accountability follow-ups.' },
    caseId: { ...nullableId, description: 'The accountability case it is about (follow_up_overdue).' },
    unitId: { ...nullableId, description: 'The unit in charge; for overdue_not_supervised the office’s unit.' },
    personIds: { type: 'array', items: { type: 'string' } },
    people: { type: 'array', items: PERSON_SCHEMA, description: 'Who held the posts at `at` (not today’s holders), with their role.' },
    evidence: { type: 'array', items: { type: 'string' }, description: 'Ids of the events the finding rests on.' },
    detail: { type: 'string' },
    at: { ...time, description: 'The moment the rule looked at (the deadline, the sign-off, the daily cut-off, the nil report’s filing), +08:00.' },
    detectedAt: { ...time, description: 'When the system recorded the finding, +08:00.' },
    status: { type: 'string', enum: [...FINDING_STATUSES], description: 'open until an inspector takes it into an accountability case.' },
    caseIds: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'rule', 'taskId', 'caseId', 'unitId', 'personIds', 'people', 'evidence', 'detail', 'at', 'detectedAt', 'status', 'caseIds'],
};

export const FINDINGS_PAGE_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: FINDING_SCHEMA }, nextCursor: { type: 'string', nullable: true } },
  required: ['items', 'nextCursor'],
};
