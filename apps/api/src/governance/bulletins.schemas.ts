import { BULLETIN_FORMAT, BULLETIN_WEIGHT_NAMES, RECOMMENDATION_KINDS } from '@app/governance';
import { FINDING_RULES } from '@app/findings';
import { STATISTICS_ESCALATION_LEVELS } from '@app/projections';
import { COMMAND_RESPONSE_SCHEMA } from '../http/command-http';
import { string, integer, number, boolean, time, strings, nullable, object } from '../http/openapi-schema';

/** OpenAPI 3.0 schemas of the bulletin and annual-statistics replies, exactly as served. */
const counts = (names: readonly string[], of: object = integer): object => object(Object.fromEntries(names.map((n) => [n, of])));
const person = object({ personId: string, name: string });
const period = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, a Beijing calendar month.' };

const FLAG = object({ unitId: string, periods: { type: 'array', items: period, description: 'The previous month and this one.' }, ranks: { type: 'array', items: integer, description: 'Its rank in each.' } });

const UNIT_ROW = object({
  unitId: string,
  name: string,
  counts: object({
    dueInMonth: { ...integer, description: 'Tasks it leads whose deadline in force falls in the month (not scored).' },
    closedOnTime: { ...integer, description: 'Of those, closed (销号) with the completion report in by the deadline.' },
    overdue: { ...integer, description: 'Tasks it led that went overdue in the month.' },
    sentBack: { ...integer, description: 'Completion reports sent back in the month.' },
    missedProgressReports: { ...integer, description: 'Progress reports due in the month and missed.' },
    missedDailyReports: { ...integer, description: 'Daily reports (零报告) of days in the month missed at the cut-off.' },
    incidents: { ...integer, description: 'Incidents that occurred in the month (not scored).' },
    incidentPersons: { ...integer, description: 'Their persons (人次).' },
    targetsExceeded: { ...integer, description: 'Yearly control targets whose use from 1 January to the month’s end is above the limit.' },
    findings: { ...integer, description: 'Findings recorded in the month naming the unit.' },
  }),
  targets: { type: 'array', items: object({ metric: string, limit: integer, usedToDate: integer, exceeded: boolean }) },
  score: number,
  rank: { ...integer, description: '1 + the number of units scoring higher: ties share a rank (1, 2, 2, 4).' },
  lastPlaces: { ...boolean, description: 'In the last two places: some unit scored higher and fewer than two lower.' },
});

export const BULLETIN_DOCUMENT_SCHEMA = object(
  {
    format: { type: 'string', enum: [BULLETIN_FORMAT] },
    formatVersion: integer,
    period,
    from: time,
    to: time,
    issuedAt: time,
    issuedBy: person,
    scoring: object({ base: number, weights: counts(BULLETIN_WEIGHT_NAMES, number), lastPlaces: integer, rule: string, ties: string }),
    units: { type: 'array', items: UNIT_ROW, description: 'Every registered member unit, best first.' },
    interviewFlags: { type: 'array', items: FLAG, description: 'Units in the last places of this and the previous month’s bulletin (约谈).' },
  },
  'The bulletin exactly as issued and sealed: never recomputed.',
);

export const BULLETIN_SCHEMA = object({
  period,
  document: BULLETIN_DOCUMENT_SCHEMA,
  seal: object(
    { algorithm: { type: 'string', enum: ['ed25519', 'sm2'] }, keyId: string, digest: string, signature: string },
    'The ledger key’s signature over the canonical JSON (RFC 8785) of `document`; `npm run cli -- verify-bulletin <file>` checks a saved reply offline.',
  ),
  publicKey: { ...string, description: 'The ledger key’s public key (PEM) that checks the seal.' },
  streamId: { ...string, description: 'governance.bulletin-<period>: the event stream holding it.' },
  eventId: { ...string, description: 'The governance.bulletin-issued.v1 event.' },
});

export const BULLETIN_PAGE_SCHEMA = object({
  items: { type: 'array', items: object({ period, issuedAt: time, issuedBy: person, units: integer, interviewFlags: { ...strings, description: 'Units flagged for 约谈 in it.' }, eventId: string }) },
  nextCursor: nullable(string),
});

/** The command reply and the bulletin as issued (its `document.interviewFlags` each recorded as governance.interview-flagged.v1). */
export const ISSUE_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { ...COMMAND_RESPONSE_SCHEMA.properties, ...(BULLETIN_SCHEMA as { properties: object }).properties },
  required: [...COMMAND_RESPONSE_SCHEMA.required, ...(BULLETIN_SCHEMA as { required: string[] }).required],
};

const UNIT_FINDINGS = { unitId: string, name: string, count: integer };
const KIND_COUNTS = object({ made: integer, answered: integer, adopted: integer });

export const ANNUAL_STATISTICS_SCHEMA = object({
  year: integer,
  from: time,
  to: time,
  tasks: object({
    issued: { ...integer, description: 'Tasks issued in the year.' },
    supervised: { ...integer, description: 'Tasks reminded (催办) or escalated in the year.' },
    escalated: { ...integer, description: 'Tasks escalated in the year, to any level.' },
    escalatedByLevel: counts(STATISTICS_ESCALATION_LEVELS),
    overdue: { ...integer, description: 'Tasks whose deadline passed in the year without completion.' },
    closed: { ...integer, description: 'Tasks closed (销号) in the year.' },
    closedOnTime: integer,
  }),
  recommendations: object({ made: { ...integer, description: 'Made in the year.' }, answered: integer, adopted: integer, byKind: counts(RECOMMENDATION_KINDS, KIND_COUNTS) }),
  findings: object({
    total: { ...integer, description: 'Findings recorded in the year.' },
    byRule: counts(FINDING_RULES),
    byUnit: { type: 'array', items: object(UNIT_FINDINGS), description: 'Most findings first.' },
    topUnits: { type: 'array', items: object({ ...UNIT_FINDINGS, rank: integer }), description: 'The units with most findings: ranks 1 to 5, ties sharing a rank (all tied for 5th are named).' },
  }),
});
