export * from './domain/finding.events';
