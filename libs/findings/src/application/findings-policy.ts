import { DEFAULT_FINDING_POLICY, type FindingPolicy } from '../domain/task-history';

/** The windows of the time-based rules (DOMAIN.md §5 defaults: 2 and 7 days, 24 hours). A class, so that it is a DI token. */
export class FindingsPolicy implements FindingPolicy {
  constructor(
    readonly unsupervisedDays = DEFAULT_FINDING_POLICY.unsupervisedDays,
    readonly listedDays = DEFAULT_FINDING_POLICY.listedDays,
    readonly lateIncidentHours = DEFAULT_FINDING_POLICY.lateIncidentHours,
  ) {}
}
