import { EVENT_TYPE, NO_STREAM, START, STREAM_NAME, type Filter } from '@eventstore/db-client';
import type { EventMetadata } from '../../envelope';
import { escapeRegex, isSystemEvent, matchesFilter, serverFilter } from './eventstoredb.filters';
import { positionToNumber, revisionAfterVersion, toExpectedRevision, toReadPosition, versionOfRevision } from './eventstoredb.mapping';
import { EventStoreDbFormatError, parseStoredMetadata, toStoredEvent, toStoredMetadata, type EsdbRecord } from './eventstoredb.records';

const metadata: EventMetadata = {
  actor: { personId: 'p-1', name: '张三', unitId: 'u-1', roles: ['clerk'] },
  correlationId: 'c-1',
  causationId: null,
  requestId: 'r-1',
  occurredAt: '2026-03-01T08:00:00.000Z',
};

describe('expected version → EventStoreDB expected revision', () => {
  it('passes the named expectations through and shifts numbers to 0-based revisions', () => {
    expect(toExpectedRevision('any')).toBe('any');
    expect(toExpectedRevision('no_stream')).toBe('no_stream');
    expect(toExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toExpectedRevision(0)).toBe(NO_STREAM);
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(42)).toBe(41n);
  });

  it('expects no stream before the first event and the last revision after it', () => {
    expect(revisionAfterVersion(0)).toBe(NO_STREAM);
    expect(revisionAfterVersion(3)).toBe(2n);
  });

  it('turns the current revision of a conflict into our version, absent streams into 0', () => {
    expect(versionOfRevision('no_stream')).toBe(0);
    expect(versionOfRevision(-1n)).toBe(0);
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(41n)).toBe(42);
  });
});

describe('$all positions', () => {
  it('uses the commit position as the global position', () => {
    expect(positionToNumber({ commit: 123_456n, prepare: 123_456n })).toBe(123_456);
  });

  it('refuses a position a JavaScript number cannot hold exactly', () => {
    expect(() => positionToNumber({ commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(RangeError);
  });

  it('reads from the start for 0 and from commit = prepare = the position otherwise', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(9_001)).toEqual({ commit: 9_001n, prepare: 9_001n });
  });
});

function regexOf(filter: Filter): RegExp {
  if (!('regex' in filter)) throw new Error('expected a regex filter');
  return new RegExp(filter.regex);
}

describe('filters', () => {
  it('filters categories on the server by stream name, matching exactly what categoryOf yields', () => {
    const filter = serverFilter({ categories: ['supervision.task', 'petition.case'], types: ['ignored.here.v1'] });
    expect(filter.filterOn).toBe(STREAM_NAME);
    const re = regexOf(filter);
    for (const yes of ['supervision.task-1', 'supervision.task', 'supervision.task-a-b', 'petition.case-9']) expect(re.test(yes)).toBe(true);
    for (const no of ['supervision.tasks-1', 'supervisionXtask-1', 'x.supervision.task-1', '$ce-supervision.task']) expect(re.test(no)).toBe(false);
  });

  it('filters types on the server by exact event type when no category is given', () => {
    const filter = serverFilter({ types: ['supervision.task-issued.v1'] });
    expect(filter.filterOn).toBe(EVENT_TYPE);
    const re = regexOf(filter);
    expect(re.test('supervision.task-issued.v1')).toBe(true);
    expect(re.test('supervision.task-issued.v10')).toBe(false);
    expect(re.test('supervisionXtask-issued.v1')).toBe(false);
  });

  it('excludes system events on the server when there is nothing else to filter', () => {
    for (const filter of [serverFilter({}), serverFilter({ categories: [], types: [] })]) {
      expect(filter.filterOn).toBe(EVENT_TYPE);
      expect(regexOf(filter).test('$statsCollected')).toBe(false);
      expect(regexOf(filter).test('supervision.task-issued.v1')).toBe(true);
    }
  });

  it('matches both lists exactly on the client and never lets system events through', () => {
    const filter = { categories: ['supervision.task'], types: ['supervision.task-issued.v1'] };
    expect(matchesFilter(filter, 'supervision.task-1', 'supervision.task-issued.v1')).toBe(true);
    expect(matchesFilter(filter, 'supervision.task-1', 'supervision.task-closed.v1')).toBe(false);
    expect(matchesFilter(filter, 'supervision.tasks-1', 'supervision.task-issued.v1')).toBe(false);
    expect(matchesFilter({}, 'supervision.task-1', '$metadata')).toBe(false);
    expect(matchesFilter({}, '$stats-127.0.0.1:2113', 'x')).toBe(false);
    expect(matchesFilter({ categories: [], types: [] }, 'any.thing-1', 'any.thing-happened.v1')).toBe(true);
    expect(isSystemEvent('a-1', '$>')).toBe(true);
  });

  it('escapes every regex metacharacter', () => {
    const literal = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(`^${escapeRegex(literal)}$`).test(literal)).toBe(true);
  });
});

describe('envelope ↔ EventStoreDB event', () => {
  const stored = toStoredMetadata({ metadata, schemaVersion: 2, recordedAt: '2026-03-01T08:00:01.000Z', hash: 'ab'.repeat(32), prevHash: 'cd'.repeat(32), prevPosition: 400 });

  function record(overrides: Partial<EsdbRecord> = {}): EsdbRecord {
    return {
      streamId: 'supervision.task-1',
      id: '0195a3b2-0000-7000-8000-000000000001',
      revision: 2n,
      type: 'supervision.task-issued.v1',
      isJson: true,
      data: { title: '督办', due: '2026-04-01' },
      // What the client hands back: the metadata after a trip through JSON.
      metadata: JSON.parse(JSON.stringify(stored)),
      position: { commit: 500n, prepare: 500n },
      ...overrides,
    };
  }

  it('adds the correlation and causation ids where EventStoreDB looks for them', () => {
    expect(stored.$correlationId).toBe('c-1');
    expect(stored).not.toHaveProperty('$causationId');
    expect(toStoredMetadata({ ...stored, metadata: { ...metadata, causationId: 'e-0' } }).$causationId).toBe('e-0');
  });

  it('maps a recorded event back to the envelope it was appended with', () => {
    expect(toStoredEvent(record())).toEqual({
      eventId: '0195a3b2-0000-7000-8000-000000000001',
      streamId: 'supervision.task-1',
      streamVersion: 3,
      position: 500,
      type: 'supervision.task-issued.v1',
      schemaVersion: 2,
      data: { title: '督办', due: '2026-04-01' },
      metadata,
      recordedAt: '2026-03-01T08:00:01.000Z',
      prevPosition: 400,
      prevHash: 'cd'.repeat(32),
      hash: 'ab'.repeat(32),
    });
  });

  it('keeps the first event of a stream unlinked', () => {
    const first = toStoredMetadata({ metadata, schemaVersion: 1, recordedAt: '2026-03-01T08:00:01.000Z', hash: 'ab'.repeat(32), prevHash: null, prevPosition: null });
    const event = toStoredEvent(record({ revision: 0n, metadata: JSON.parse(JSON.stringify(first)) }));
    expect(event).toMatchObject({ streamVersion: 1, prevHash: null, prevPosition: null });
  });

  it('refuses events this adapter did not write, naming the event', () => {
    expect(() => toStoredEvent(record({ isJson: false }))).toThrow(EventStoreDbFormatError);
    expect(() => toStoredEvent(record({ position: undefined }))).toThrow(/no \$all position/);
    expect(() => toStoredEvent(record({ metadata: undefined }))).toThrow(/0195a3b2-0000-7000-8000-000000000001 in supervision\.task-1: metadata is not a JSON object/);
    expect(() => toStoredEvent(record({ metadata: { ...stored, hash: 7 } }))).toThrow(/hash/);
  });

  it('says what is wrong with foreign metadata', () => {
    expect(parseStoredMetadata({ ...stored, metadata: { ...metadata, actor: { personId: 'p' } } })).toMatch(/not an envelope/);
    expect(parseStoredMetadata({ ...stored, schemaVersion: '2' })).toMatch(/schemaVersion/);
    expect(parseStoredMetadata({ ...stored, prevPosition: 1.5 })).toMatch(/prevPosition/);
    expect(parseStoredMetadata(new Uint8Array([1]))).toMatch(/not a JSON object/);
  });
});
