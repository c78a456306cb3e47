export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb.event-store';
