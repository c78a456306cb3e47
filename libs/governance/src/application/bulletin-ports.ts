import type { PeriodBounds } from '../domain/bulletin-period';
import type { UnitMonthCounts } from '../domain/bulletin-scoring';
import type { DocumentSeal } from '../domain/bulletin.events';

/**
 * Seals a document with the ledger key (the key that signs checkpoints). A port, so that the
 * governance context needs no key and no ledger: the api implements it with @app/audit.
 */
export abstract class DocumentSealer {
  abstract seal(document: unknown): { seal: DocumentSeal; publicKey: string };
}

/**
 * What the read models say of every registered member unit for one month (tasks, reports,
 * incidents against targets, findings). A port: the read models live in @app/projections, which
 * depends on this context, not the other way round; the api implements it with their query.
 */
export abstract class BulletinSources {
  abstract monthCounts(month: PeriodBounds): Promise<UnitMonthCounts[]>;
}
