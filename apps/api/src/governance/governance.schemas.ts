import type { CommandResult } from '@app/event-store';
import { INCIDENT_KINDS, RECOMMENDATION_KINDS, WARNING_CAUSES, type ControlTargetEvent } from '@app/governance';
import { COMMAND_RESPONSE_SCHEMA } from '../http/command-http';
import { string, integer, number, boolean, time, strings, nullable, object, page } from '../http/openapi-schema';

/** OpenAPI 3.0 schemas of the incident, control-target, recommendation and interview replies, exactly as served. */
const person = object({ personId: string, name: string });
const withCommand = (properties: Record<string, object>): object => ({ type: 'object', properties: { ...COMMAND_RESPONSE_SCHEMA.properties, ...properties }, required: [...COMMAND_RESPONSE_SCHEMA.required, ...Object.keys(properties)] });
const incidentKind = { type: 'string', enum: [...INCIDENT_KINDS] };

export const INCIDENT_PAGE_SCHEMA = page(
  object({
    id: string,
    unitId: string,
    kind: incidentKind,
    persons: integer,
    occurredAt: time,
    reportedAt: time,
    year: { ...integer, description: 'The Beijing calendar year whose control target it counts against.' },
    summary: string,
    recordedAt: time,
    recordedBy: person,
    eventId: { ...string, description: 'The event that recorded it.' },
  }),
);

const WARNING_SCHEMA = object({ threshold: number, used: integer, limit: integer, cause: { type: 'string', enum: [...WARNING_CAUSES] }, causeEventId: string, incidentId: nullable(string), raisedAt: time, eventId: string });

export const CONTROL_TARGET_PAGE_SCHEMA = page(
  object({
    id: { ...string, description: '`<unitId>-<metric>-<year>`.' },
    unitId: string,
    metric: incidentKind,
    year: integer,
    limit: integer,
    used: { ...integer, description: 'Persons (人次) of the unit’s incidents of this kind that occurred in the year (Beijing time).' },
    ratio: { ...nullable(number), description: 'used ÷ limit (2 = 200%); null for a zero limit (零指标).' },
    warnings: { type: 'array', items: number, description: 'Thresholds crossed, e.g. [0.5, 1].' },
    limitHistory: { type: 'array', items: object({ limit: integer, previousLimit: nullable(integer), setAt: time, setBy: person, eventId: string }) },
    warningHistory: { type: 'array', items: WARNING_SCHEMA, description: 'Every warning event, with the event that crossed the threshold.' },
    version: integer,
  }),
);

/** A command on a target stream, with the thresholds it crossed (each recorded as a warning event). */
export const TARGET_COMMAND_RESPONSE_SCHEMA = withCommand({ warningsRaised: { type: 'array', items: number, description: 'Thresholds this request crossed, each recorded once as governance.control-target-warning-raised.v1.' } });

/** `warningsRaised` of that reply: the thresholds the command crossed. */
export function warningsRaised(result: CommandResult<ControlTargetEvent>): number[] {
  return result.events.flatMap((e) => (e.type === 'governance.control-target-warning-raised.v1' ? [e.data.threshold] : []));
}

export const RECOMMENDATION_SCHEMA = object({
  id: string,
  unitId: string,
  kind: { type: 'string', enum: [...RECOMMENDATION_KINDS] },
  text: string,
  answerDueAt: time,
  madeAt: time,
  madeBy: person,
  eventId: string,
  answer: nullable(object({ text: string, adopted: boolean, answeredAt: time, late: boolean, answeredBy: nullable(person), eventId: nullable(string) })),
  open: { ...boolean, description: 'Not answered yet.' },
  overdue: { ...boolean, description: 'Not answered and past answerDueAt at the moment of the read.' },
  version: integer,
});
export const RECOMMENDATION_PAGE_SCHEMA = page(RECOMMENDATION_SCHEMA);
export const ANSWER_RESPONSE_SCHEMA = withCommand({ late: { ...boolean, description: 'Answered after answerDueAt (accepted, and recorded as late).' } });

export const INTERVIEW_SCHEMA = object({
  id: string,
  unitId: string,
  personIds: strings,
  reason: string,
  findingIds: strings,
  rectificationDueAt: time,
  recordedAt: time,
  recordedBy: person,
  eventId: string,
  rectification: nullable(object({ note: string, reportedAt: time, late: boolean, reportedBy: nullable(person), eventId: nullable(string) })),
  open: { ...boolean, description: 'Rectification not reported yet.' },
  overdue: { ...boolean, description: 'Not reported and past rectificationDueAt at the moment of the read.' },
  version: integer,
});
export const INTERVIEW_PAGE_SCHEMA = page(INTERVIEW_SCHEMA);
export const RECTIFICATION_RESPONSE_SCHEMA = withCommand({ late: { ...boolean, description: 'Reported after rectificationDueAt (accepted, and recorded as late).' } });
