import { Module } from '@nestjs/common';

/**
 * The joint meeting's standing mechanisms (DOMAIN.md §7): reporting windows and daily reports,
 * incidents and control targets, recommendations and interviews, monthly bulletins. The api
 * composes it with CqrsModule.forRoot().
 */
@Module({ providers: [] })
export class GovernanceModule {}
