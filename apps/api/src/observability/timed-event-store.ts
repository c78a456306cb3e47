import type { DynamicModule, FactoryProvider, Provider } from '@nestjs/common';
import {
  ConcurrencyError,
  EventStore,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamHead,
  type SubscribeOptions,
  type Subscription,
} from '@app/event-store';
import { ApiMetrics } from './api-metrics';

/** The event store with each append timed into `sl_event_append_duration_seconds`; everything else passes through. */
export class TimedEventStore extends EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly metrics: ApiMetrics,
  ) {
    super();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const done = this.metrics.appendDuration.startTimer();
    try {
      const result = await this.inner.append(streamId, events, expected);
      done({ outcome: 'ok' });
      return result;
    } catch (error) {
      done({ outcome: error instanceof ConcurrencyError ? 'conflict' : 'error' });
      throw error;
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    return this.inner.readAll(options);
  }

  readEvents(eventIds: readonly string[], options?: { raw?: boolean }): Promise<RecordedEvent[]> {
    return this.inner.readEvents(eventIds, options);
  }

  streamHead(streamId: string): Promise<StreamHead | null> {
    return this.inner.streamHead(streamId);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const isEventStoreFactory = (p: Provider): p is FactoryProvider<EventStore> => typeof p === 'object' && 'provide' in p && p.provide === EventStore && 'useFactory' in p;

/**
 * The event store module with its EventStore provider wrapped in TimedEventStore, so that every
 * append of the api is timed, the DeciderRunner's included (it is built inside that module, from
 * that provider). ApiMetrics comes from the api module, which is global.
 */
export function timeAppends(module: DynamicModule): DynamicModule {
  const providers = module.providers ?? [];
  const store = providers.find(isEventStoreFactory);
  if (!store) throw new Error('timeAppends: the event store module no longer provides EventStore by a factory');
  const inject = store.inject ?? [];
  const timed: FactoryProvider<EventStore> = {
    provide: EventStore,
    inject: [...inject, ApiMetrics],
    useFactory: async (...args: unknown[]) => new TimedEventStore(await store.useFactory(...args.slice(0, inject.length)), args[inject.length] as ApiMetrics),
  };
  return { ...module, providers: providers.map((p) => (p === store ? timed : p)) };
}
