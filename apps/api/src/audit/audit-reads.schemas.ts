/** OpenAPI shapes of the audit reads; e2e replies are validated against them. */
const str = { type: 'string' };
const time = { type: 'string', format: 'date-time' };
const nullableStr = { type: 'string', nullable: true };
const nullableTime = { type: 'string', format: 'date-time', nullable: true };
const strings = { type: 'array', items: str };
const who = { type: 'object', nullable: true, properties: { personId: str, name: str }, required: ['personId', 'name'] };

const ACTOR = {
  type: 'object',
  properties: { personId: str, name: str, unitId: nullableStr, roles: strings },
  required: ['personId', 'name', 'unitId', 'roles'],
};

const ENVELOPE = {
  type: 'object',
  properties: {
    eventId: str,
    streamId: str,
    streamVersion: { type: 'integer' },
    position: { type: 'integer' },
    type: str,
    schemaVersion: { type: 'integer' },
    data: {},
    metadata: {
      type: 'object',
      properties: { actor: ACTOR, correlationId: str, causationId: nullableStr, requestId: nullableStr, occurredAt: time },
      required: ['actor', 'correlationId', 'causationId', 'requestId', 'occurredAt'],
    },
    recordedAt: time,
    hash: str,
    prevHash: nullableStr,
  },
  required: ['eventId', 'streamId', 'streamVersion', 'position', 'type', 'schemaVersion', 'data', 'metadata', 'recordedAt', 'hash', 'prevHash'],
};

export const STREAM_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { streamId: str, asOf: nullableTime, events: { type: 'array', items: ENVELOPE } },
  required: ['streamId', 'asOf', 'events'],
};

const TIMELINE_ENTRY = {
  type: 'object',
  properties: {
    eventId: str, streamId: str, streamVersion: { type: 'integer' }, type: str, position: { type: 'integer' },
    occurredAt: time, recordedAt: time, actor: ACTOR, data: {},
  },
  required: ['eventId', 'streamId', 'streamVersion', 'type', 'position', 'occurredAt', 'recordedAt', 'actor', 'data'],
};

const VERIFICATION = {
  type: 'object',
  nullable: true,
  description: 'The hash chains of every stream the timeline was read from, checked on the same rows (whole streams, whatever asOf/knownAt hide).',
  properties: {
    ok: { type: 'boolean' },
    streams: { type: 'integer' },
    checkedEvents: { type: 'integer' },
    firstBad: { type: 'object', properties: { position: { type: 'integer' }, streamId: str, eventId: { type: 'string', nullable: true }, reason: str, detail: str } },
  },
  required: ['ok', 'streams', 'checkedEvents'],
};

export const TIMELINE_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { taskId: str, asOf: nullableTime, knownAt: nullableTime, verification: VERIFICATION, events: { type: 'array', items: TIMELINE_ENTRY } },
  required: ['taskId', 'asOf', 'knownAt', 'verification', 'events'],
};

/** GET /tasks/{id}'s view, plus the moment it is as of. */
export const STATE_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    id: str, title: str, status: str, leadUnitId: str, coUnitIds: strings, dueAt: time, originalDueAt: time,
    escalation: str, rag: { type: 'string', enum: ['green', 'yellow', 'red'] }, overdue: { type: 'boolean' },
    caseLeader: who, signedFor: strings, version: { type: 'integer' }, position: { type: 'integer' }, asOf: time,
  },
  required: ['id', 'title', 'status', 'leadUnitId', 'coUnitIds', 'dueAt', 'originalDueAt', 'escalation', 'rag', 'caseLeader', 'version', 'position', 'asOf'],
};

const POST_TERM = {
  type: 'object',
  properties: { personId: str, name: str, post: str, from: time, to: nullableTime, assignedEventId: str, endedEventId: nullableStr },
  required: ['personId', 'name', 'post', 'from', 'to', 'assignedEventId', 'endedEventId'],
};

const GROUND = { type: 'object', properties: { kind: str, at: time, eventId: str }, required: ['kind', 'at', 'eventId'] };

const ATTRIBUTION_LINE = {
  type: 'object',
  properties: {
    personId: str, name: str, unitId: nullableStr,
    role: { type: 'string', enum: ['decider', 'participant', 'dissenter', 'handler', 'primary_leader', 'portfolio_leader'] },
    liability: { type: 'string', enum: ['primary_leadership', 'important_leadership', 'direct', 'leadership', 'none'] },
    basis: { type: 'string', enum: ['decision', 'act_or_omission'] },
    grounds: { type: 'array', items: GROUND },
    evidence: strings,
  },
  required: ['personId', 'name', 'unitId', 'role', 'liability', 'basis', 'grounds', 'evidence'],
};

export const RESPONSIBILITY_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    taskId: str,
    generatedAt: time,
    custody: {
      type: 'object',
      properties: {
        leadUnits: { type: 'array', items: { type: 'object', properties: { unitId: str, from: time, to: nullableTime, eventId: str, reason: nullableStr }, required: ['unitId', 'from', 'to', 'eventId', 'reason'] } },
        coUnitIds: strings,
        signedFor: { type: 'array', items: { type: 'object', properties: { unitId: str, personId: str, name: str, at: time, eventId: str }, required: ['unitId', 'personId', 'name', 'at', 'eventId'] } },
        caseLeader: { type: 'object', nullable: true, properties: { personId: str, name: str, eventId: str }, required: ['personId', 'name', 'eventId'] },
        caseLeaders: {
          type: 'array',
          description: 'Every case leader (包案领导) the task has had, from issue or the change that named them until the next change.',
          items: { type: 'object', properties: { personId: str, name: str, from: str, to: { ...str, nullable: true }, eventId: str, reason: { ...str, nullable: true } }, required: ['personId', 'name', 'from', 'to', 'eventId', 'reason'] },
        },
        units: { type: 'array', items: { type: 'object', properties: { unitId: str, involvement: { type: 'string', enum: ['lead', 'co', 'former_lead'] }, posts: { type: 'array', items: POST_TERM } }, required: ['unitId', 'involvement', 'posts'] } },
      },
      required: ['leadUnits', 'coUnitIds', 'signedFor', 'caseLeader', 'caseLeaders', 'units'],
    },
    deadlines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { dueAt: time, change: { type: 'string', enum: ['issued', 'extension_approved', 'extension_refused', 'reopened'] }, reason: nullableStr, by: who, at: time, eventId: str },
        required: ['dueAt', 'change', 'reason', 'by', 'at', 'eventId'],
      },
    },
    office: {
      type: 'object',
      properties: {
        actions: { type: 'array', items: { type: 'object', properties: { kind: str, at: time, by: who, detail: nullableStr, eventId: str }, required: ['kind', 'at', 'by', 'detail', 'eventId'] } },
        omissions: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['overdue_not_supervised'] }, dueAt: time, overdueAt: time, windowEndsAt: time, eventId: str }, required: ['kind', 'dueAt', 'overdueAt', 'windowEndsAt', 'eventId'] } },
      },
      required: ['actions', 'omissions'],
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: { findingId: str, rule: str, at: nullableTime, eventId: str, evidence: strings, people: { type: 'array', items: {} }, later: { type: 'array', items: { type: 'object', properties: { type: str, eventId: str, recordedAt: time }, required: ['type', 'eventId', 'recordedAt'] } } },
        required: ['findingId', 'rule', 'at', 'eventId', 'evidence', 'people', 'later'],
      },
    },
    accountabilityCases: { type: 'array', items: { type: 'object', properties: { caseId: str, eventIds: strings }, required: ['caseId', 'eventIds'] } },
    attribution: {
      type: 'object',
      description: 'A proposal with its evidence under 实施办法 第11条, never a decision.',
      properties: {
        proposal: { type: 'boolean', enum: [true] },
        note: str,
        decision: { type: 'object', nullable: true, properties: { meetingId: str, decisionId: str, eventId: str }, required: ['meetingId', 'decisionId', 'eventId'] },
        lines: { type: 'array', items: ATTRIBUTION_LINE },
      },
      required: ['proposal', 'note', 'decision', 'lines'],
    },
  },
  required: ['taskId', 'generatedAt', 'custody', 'deadlines', 'office', 'findings', 'accountabilityCases', 'attribution'],
};
