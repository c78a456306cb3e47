export * from './domain/finding.events';
export * from './domain/task-history';
export * from './domain/task.rules';
export * from './domain/follow-up.rules';
export * from './application/findings-policy';
export * from './application/finding-recorder';
export * from './application/commands/detect-task-findings/detect-task-findings.command';
export * from './findings.module';
