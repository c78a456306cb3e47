export * from './domain/unit.events';
export * from './domain/unit.decider';
export * from './domain/post-terms';
export * from './application/commands/register-unit/register-unit.command';
export * from './application/commands/assign-post/assign-post.command';
export * from './application/commands/end-post/end-post.command';
export * from './units.module';
