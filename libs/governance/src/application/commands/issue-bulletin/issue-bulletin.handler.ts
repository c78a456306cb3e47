import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeciderRunner, EventStore, type CommandResult } from '@app/event-store';
import { Clock, fold } from '@app/shared-kernel';
import { composeBulletin } from '../../../domain/bulletin';
import { bulletinDecider } from '../../../domain/bulletin.decider';
import { bulletinEventIdOf, bulletinStreamId, type BulletinEvent } from '../../../domain/bulletin.events';
import { nextPeriod, periodBounds, previousPeriod, requirePeriod } from '../../../domain/bulletin-period';
import { BulletinSources, DocumentSealer } from '../../bulletin-ports';
import { GovernancePolicy } from '../../governance-policy';
import { IssueBulletinCommand } from './issue-bulletin.command';

/**
 * Computes the month's bulletin from the read models, scores and ranks it, flags the units in the
 * last places of this and the previous month's bulletin, seals it with the ledger key and freezes
 * it as one append that creates the month's stream: a second issue finds the stream and is refused.
 */
@CommandHandler(IssueBulletinCommand)
export class IssueBulletinHandler implements ICommandHandler<IssueBulletinCommand> {
  constructor(
    private readonly runner: DeciderRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly policy: GovernancePolicy,
    private readonly sources: BulletinSources,
    private readonly sealer: DocumentSealer,
  ) {}

  async execute({ input, context }: IssueBulletinCommand): Promise<CommandResult<BulletinEvent>> {
    const period = requirePeriod(input.period);
    const now = this.clock.now().toISOString();
    // The previous bulletin as frozen in the log, not as a read model has it so far.
    const previous = fold(bulletinDecider, (await this.store.readStream(bulletinStreamId(previousPeriod(period)))).map((e) => ({ type: e.type, data: e.data }) as BulletinEvent)).document;
    const laterIssued = (await this.store.streamHead(bulletinStreamId(nextPeriod(period)))) !== null;
    const units = await this.sources.monthCounts(periodBounds(period));
    const issuedBy = { personId: context.actor.personId, name: context.actor.name };
    const document = composeBulletin({ period, units, weights: this.policy.bulletinWeights, previous, issuedAt: now, issuedBy });
    const { seal, publicKey } = this.sealer.seal(document);
    const command = { type: 'IssueBulletin' as const, period, document, seal, publicKey, laterIssued, now };
    return this.runner.run(bulletinStreamId(period), bulletinDecider, command, { ...context, eventIds: (event) => bulletinEventIdOf(event as BulletinEvent) });
  }
}
