export * from './domain/unit.events';
export * from './domain/unit.decider';
