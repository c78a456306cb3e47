export * from './domain/task.events';
export * from './domain/task.state';
export * from './domain/task.commands';
export * from './domain/task.decider';
export * from './domain/task.deadlines';
