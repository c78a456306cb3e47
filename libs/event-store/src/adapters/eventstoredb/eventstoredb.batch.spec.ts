import type { EventMetadata, NewEvent } from '../../envelope';
import { DuplicateEventError, InvalidAppendError } from '../../errors';
import { expectationHolds } from '../../event-store.port';
import { chainsToHead, prepareBatch, settleRetry, type PreparedEvent } from './eventstoredb.batch';
import type { StoredEvent } from './eventstoredb.records';

const metadata: EventMetadata = {
  actor: { personId: 'p-1', name: 'Li', unitId: null, roles: [] },
  correlationId: 'c-1',
  causationId: null,
  requestId: null,
  occurredAt: '2026-03-01T08:00:00.000Z',
};

const id = (n: number): string => `0195a3b2-0000-7000-8000-${String(n).padStart(12, '0')}`;

function newEvent(n: number, data: unknown = { n }): NewEvent {
  return { eventId: id(n), type: 'test.thing-happened.v1', schemaVersion: 1, data, metadata };
}

function stored(event: PreparedEvent, version: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    ...event,
    streamId: 's.t-1',
    streamVersion: version,
    position: 1000 + version,
    recordedAt: '2026-03-01T08:00:01.000Z',
    hash: 'ab'.repeat(32),
    prevHash: null,
    prevPosition: null,
    ...overrides,
  };
}

describe('prepareBatch', () => {
  it('normalises events to what a read gives back', () => {
    const [event] = prepareBatch('s.t-1', [{ ...newEvent(1, { at: new Date('2026-03-01T00:00:00Z'), gone: undefined }), eventId: id(1).toUpperCase() }], 'any');
    expect(event).toEqual({ eventId: id(1), type: 'test.thing-happened.v1', schemaVersion: 1, data: { at: '2026-03-01T00:00:00.000Z' }, metadata });
  });

  it.each([
    ['an empty batch', 's.t-1', [], 'any'],
    ['a system stream', '$ce-s.t', [newEvent(1)], 'any'],
    ['an empty stream id', '', [newEvent(1)], 'any'],
    ['a negative expected version', 's.t-1', [newEvent(1)], -1],
    ['an event id that is not a UUID', 's.t-1', [{ ...newEvent(1), eventId: 'e-1' }], 'any'],
    ['an id twice in the batch', 's.t-1', [newEvent(1), { ...newEvent(1), eventId: id(1).toUpperCase() }], 'any'],
    ['a system event type', 's.t-1', [{ ...newEvent(1), type: '$metadata' }], 'any'],
    ['data that is not JSON', 's.t-1', [newEvent(1, { big: 1n })], 'any'],
    ['metadata that is not an envelope', 's.t-1', [{ ...newEvent(1), metadata: { ...metadata, correlationId: undefined } as unknown as EventMetadata }], 'any'],
  ] as const)('refuses %s', (_what, streamId, events, expected) => {
    expect(() => prepareBatch(streamId, [...events], expected)).toThrow(InvalidAppendError);
  });
});

describe('expectations', () => {
  it('holds like the port says', () => {
    expect(expectationHolds('any', 0)).toBe(true);
    expect(expectationHolds('no_stream', 0)).toBe(true);
    expect(expectationHolds('no_stream', 1)).toBe(false);
    expect(expectationHolds('stream_exists', 0)).toBe(false);
    expect(expectationHolds('stream_exists', 3)).toBe(true);
    expect(expectationHolds(3, 3)).toBe(true);
    expect(expectationHolds(2, 3)).toBe(false);
  });

  it('lets the store choose the revision only for any and stream_exists', () => {
    expect([chainsToHead('any'), chainsToHead('stream_exists'), chainsToHead('no_stream'), chainsToHead(0)]).toEqual([true, true, false, false]);
  });
});

describe('settleRetry', () => {
  const batch = prepareBatch('s.t-1', [newEvent(1), newEvent(2)], 0);
  const [a, b] = batch as [PreparedEvent, PreparedEvent];

  it('returns the original versions and positions for the same events', () => {
    expect(settleRetry('s.t-1', batch, [stored(a, 4), stored(b, 5)])).toEqual({ streamId: 's.t-1', version: 5, positions: [1004, 1005], position: 1005 });
  });

  it('is not a retry when none of the ids is there', () => {
    expect(settleRetry('s.t-1', batch, [])).toBeNull();
    const other = prepareBatch('s.t-1', [newEvent(7)], 'any')[0] as PreparedEvent;
    expect(settleRetry('s.t-1', batch, [stored(other, 1)])).toBeNull();
  });

  it('refuses the same id with other content', () => {
    expect(() => settleRetry('s.t-1', batch, [stored(a, 1), stored({ ...b, data: { n: 99 } }, 2)])).toThrow(DuplicateEventError);
    expect(() => settleRetry('s.t-1', batch, [stored(a, 1), stored({ ...b, schemaVersion: 2 }, 2)])).toThrow(/other content/);
  });

  it('refuses ids stored elsewhere or only part of the batch', () => {
    const other = prepareBatch('s.t-1', [newEvent(7)], 'any')[0] as PreparedEvent;
    expect(() => settleRetry('s.t-1', batch, [stored(other, 1), stored(a, 2)])).toThrow(/elsewhere/);
    expect(() => settleRetry('s.t-1', batch, [stored(a, 1)])).toThrow(/only part/);
    expect(() => settleRetry('s.t-1', batch, [stored(a, 1), stored(other, 2)])).toThrow(/only part/);
  });
});
