import { DECISION_FORMS, FOLLOW_UP_KINDS, LIABILITIES, OBLIGATION_KINDS } from '@app/accountability';
import { COMMAND_RESPONSE_SCHEMA } from '../http/command-http';
import { string, time, strings, nullable, object } from '../http/openapi-schema';

/** OpenAPI 3.0 schemas of the replies, exactly as served (the e2e contract check validates replies against them). */

export const CASE_SCHEMA = object({
  id: string,
  title: string,
  findingIds: strings,
  evidenceEventIds: strings,
  taskIds: strings,
  subjects: { type: 'array', items: object({ personId: nullable(string), unitId: nullable(string), liability: { type: 'string', enum: [...LIABILITIES] } }) },
  openedAt: time,
  openedBy: nullable(object({ personId: string, name: string })),
  decisions: {
    type: 'array',
    items: object({ decisionId: string, eventId: nullable(string), forms: { type: 'array', items: { type: 'string', enum: [...DECISION_FORMS] } }, subjects: strings, basis: string, decidedAt: time }),
  },
  obligations: {
    type: 'array',
    items: object({
      obligationId: string,
      decisionId: string,
      kind: { type: 'string', enum: [...OBLIGATION_KINDS] },
      subjects: strings,
      dueAt: time,
      met: { type: 'boolean' },
      metAt: nullable(time),
      followUpId: nullable(string),
      overdue: { type: 'boolean' },
    }),
  },
  followUps: {
    type: 'array',
    items: object({ followUpId: string, kind: { type: 'string', enum: [...FOLLOW_UP_KINDS] }, note: string, obligationId: nullable(string), at: time, late: { type: 'boolean' } }),
  },
  version: { type: 'integer' },
});

export const CASE_PAGE_SCHEMA = object({ items: { type: 'array', items: CASE_SCHEMA }, nextCursor: nullable(string) });

export const DECISION_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { ...COMMAND_RESPONSE_SCHEMA.properties, decisionId: string },
  required: [...COMMAND_RESPONSE_SCHEMA.required, 'decisionId'],
};

export const FOLLOW_UP_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { ...COMMAND_RESPONSE_SCHEMA.properties, followUpId: string, obligationId: nullable(string), late: { type: 'boolean' } },
  required: [...COMMAND_RESPONSE_SCHEMA.required, 'followUpId', 'obligationId', 'late'],
};
