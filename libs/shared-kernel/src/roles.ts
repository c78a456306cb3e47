/** Roles of API.md and DESIGN.md §6. */
export const ROLES = ['admin', 'office', 'office_lead', 'unit', 'unit_lead', 'inspector'] as const;

export type Role = (typeof ROLES)[number];

/** Who is acting: the claims of a verified token, and the actor recorded in every event. */
export interface Principal {
  personId: string;
  name: string;
  /** The member unit of a unit user; null for the office, inspectors and admins. */
  unitId: string | null;
  roles: Role[];
}
