export * from './domain/meeting.events';
export * from './domain/meeting.decider';
export * from './application/commands/hold-meeting/hold-meeting.command';
export * from './application/commands/record-decision/record-decision.command';
export * from './meetings.module';
