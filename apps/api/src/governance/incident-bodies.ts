import { z } from 'zod';
import { INCIDENT_KINDS } from '@app/governance';
import { id, instant, text } from '../http/fields';

/** A report before the incident, or from the future, is the domain's to refuse (422 with its code). */
export const recordIncident = z
  .object({
    id: id.optional(),
    unitId: id,
    kind: z.enum(INCIDENT_KINDS),
    persons: z.number().int().min(1).max(100_000),
    occurredAt: instant,
    reportedAt: instant.optional(),
    summary: text(4000),
  })
  .strict();

export const setControlTarget = z
  .object({
    unitId: id,
    metric: z.enum(INCIDENT_KINDS),
    year: z.number().int().min(2000).max(2100),
    limit: z.number().int().min(0).max(1_000_000),
  })
  .strict();
