export * from './domain/case.events';
export * from './domain/case.decider';
export * from './domain/obligations';
export * from './application/commands/open-case/open-case.command';
export * from './application/commands/record-case-decision/record-case-decision.command';
export * from './application/commands/record-follow-up/record-follow-up.command';
export * from './accountability.module';
