export * from './postgres.event-store';
export * from './postgres.schema';
export type { StoredEvent } from './postgres.rows';
