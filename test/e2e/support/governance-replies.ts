/** Replies of the findings and reporting-window endpoints, as the e2e specs read them (the OpenAPI contract check covers the rest). */
export interface FindingReply {
  id: string;
  rule: string;
  taskId: string | null;
  unitId: string | null;
  people: { personId: string; role: string }[];
  evidence: string[];
  at: string;
  detectedAt: string;
  status: string;
  detail: string;
}

export interface UnitDayReply {
  date: string;
  cutoffAt: string;
  status: string;
  filedAt: string | null;
  nil: boolean | null;
  itemCount: number;
  reportEventId: string | null;
  missedEventId: string | null;
}

/** One unit's row of GET /reporting-windows/{id}/compliance. */
export interface UnitComplianceReply {
  unitId: string;
  filed: number;
  late: number;
  missed: number;
  pending: number;
  days: UnitDayReply[];
}
