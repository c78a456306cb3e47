import { Command } from '@nestjs/cqrs';
import type { Recorded } from '../../finding-recorder';

/** The detector's: record the findings one task's history supports by now. */
export class DetectTaskFindingsCommand extends Command<Recorded> {
  constructor(
    readonly taskId: string,
    /** The detector run, as the findings' correlation id. */
    readonly runId: string,
  ) {
    super();
  }
}
