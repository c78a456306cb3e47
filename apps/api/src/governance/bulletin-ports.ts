import type { QueryBus } from '@nestjs/cqrs';
import type { CheckpointService } from '@app/audit';
import type { EventStore } from '@app/event-store';
import { BulletinSources, DocumentSealer, type PeriodBounds, type UnitMonthCounts } from '@app/governance';
import { MonthCountsQuery, type ProjectionRunner } from '@app/projections';
import { DomainError } from '@app/shared-kernel';

/** How long an issue waits for the read models to apply the whole log before it refuses. */
const CATCH_UP_MS = 5000;

/** Bulletins are sealed with the ledger key, the one that signs the Merkle checkpoints. */
export class LedgerDocumentSealer extends DocumentSealer {
  constructor(private readonly checkpoints: CheckpointService) {
    super();
  }

  seal(document: unknown): ReturnType<DocumentSealer['seal']> {
    return { seal: this.checkpoints.seal(document), publicKey: this.checkpoints.publicKeyPem };
  }
}

/**
 * A month's counts from the read models, once they have applied everything recorded before the
 * request: a bulletin is frozen for good, so it must not miss the last report for want of a wait.
 */
export class ReadModelBulletinSources extends BulletinSources {
  constructor(
    private readonly queries: QueryBus,
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
  ) {
    super();
  }

  async monthCounts(month: PeriodBounds): Promise<UnitMonthCounts[]> {
    const head = Number(await this.store.headPosition());
    if (!(await this.runner.waitFor(head, CATCH_UP_MS))) {
      throw new DomainError('conflict', 'READ_MODELS_BEHIND', `The read models have not yet applied the log up to position ${head}; nothing was issued. Try again in a moment.`);
    }
    return this.queries.execute(new MonthCountsQuery(month));
  }
}
