import { DEFAULT_BULLETIN_WEIGHTS, type BulletinWeights } from '../domain/bulletin-scoring';

/** Warning thresholds of control targets, as shares of the limit (DOMAIN.md §7 default: 50% and 100%). */
export const DEFAULT_CONTROL_TARGET_WARNINGS: readonly number[] = [0.5, 1];

/** The configurable part of governance (CONTROL_TARGET_WARNINGS, BULLETIN_WEIGHTS). A class, so that it is a DI token. */
export class GovernancePolicy {
  constructor(
    readonly controlTargetWarnings: readonly number[] = DEFAULT_CONTROL_TARGET_WARNINGS,
    readonly bulletinWeights: BulletinWeights = DEFAULT_BULLETIN_WEIGHTS,
  ) {}
}
