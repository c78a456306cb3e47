import { DAY_STATUSES } from '@app/projections';
import { COMMAND_RESPONSE_SCHEMA } from '../http/command-http';
import { string, integer, day, time, nullable, object } from '../http/openapi-schema';

/** OpenAPI 3.0 schemas of the replies, exactly as served (the e2e contract check validates replies against them). */

export const REPORTING_WINDOW_SCHEMA = object({
  id: string,
  name: string,
  from: day,
  to: day,
  cutoff: { type: 'string', description: 'HH:mm, Beijing time' },
  unitIds: { type: 'array', items: string, description: 'Every listed unit; a unit user sees only its own.' },
  openedAt: time,
  openedBy: nullable(object({ personId: string, name: string })),
  version: integer,
});

export const REPORTING_WINDOW_PAGE_SCHEMA = object({ items: { type: 'array', items: REPORTING_WINDOW_SCHEMA }, nextCursor: nullable(string) });

const UNIT_DAY_SCHEMA = object({
  date: day,
  cutoffAt: time,
  status: { type: 'string', enum: [...DAY_STATUSES] },
  filedAt: nullable(time),
  nil: nullable({ type: 'boolean' }),
  itemCount: integer,
  reportEventId: nullable(string),
  missedEventId: nullable(string),
});

export const COMPLIANCE_SCHEMA = object({
  windowId: string,
  name: string,
  from: day,
  to: day,
  cutoff: string,
  asOf: time,
  units: {
    type: 'array',
    items: object({ unitId: string, filed: integer, late: integer, missed: integer, pending: integer, days: { type: 'array', items: UNIT_DAY_SCHEMA } }),
  },
});

export const DAILY_REPORT_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { ...COMMAND_RESPONSE_SCHEMA.properties, unitId: string, date: day, late: { type: 'boolean' } },
  required: [...COMMAND_RESPONSE_SCHEMA.required, 'unitId', 'date', 'late'],
};
