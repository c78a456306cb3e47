/** Where one projection stands, as readiness and /metrics see it. */
export interface ProjectionProgress {
  name: string;
  /** The log position it has applied. */
  position: number;
  /** When its checkpoint last moved; null when it has none yet. */
  movedAt: Date | null;
  /** When the first event it has not applied yet was recorded; null when it is at the head. */
  waitingSince: Date | null;
}

/**
 * Stalled: it trails the log head, and for longer than `thresholdMs` it has neither moved nor
 * been given anything new. A projection working through a backlog moves, so it is not stalled
 * however far behind; one that was idle and has just been handed an event is not stalled either,
 * although its checkpoint has not moved for an hour.
 */
export function isStalled(progress: ProjectionProgress, head: number, now: Date, thresholdMs: number): boolean {
  if (progress.position >= head || progress.waitingSince === null) return false;
  const since = Math.max(progress.movedAt?.getTime() ?? 0, progress.waitingSince.getTime());
  return now.getTime() - since > thresholdMs;
}
