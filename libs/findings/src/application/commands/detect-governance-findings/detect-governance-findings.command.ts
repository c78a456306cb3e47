import { Command } from '@nestjs/cqrs';
import type { Recorded } from '../../finding-recorder';

/**
 * The detector's: record the governance findings these events support by now. The ids name the
 * events to judge together with those they are judged against (an incident and the nil reports of
 * its day, a recommendation and its answer); a reporting window's opening is looked up here.
 */
export class DetectGovernanceFindingsCommand extends Command<Recorded> {
  constructor(
    readonly eventIds: readonly string[],
    /** The detector run, as the findings' correlation id. */
    readonly runId: string,
  ) {
    super();
  }
}
