import { type ChainAnchor, type ChainEvent, verifyChains } from './chain-verifier';
import { computeEventHash } from './event-hash';
import type { HashAlgorithm } from './hash';

type Options = { alg?: HashAlgorithm; hashPositions?: boolean; start?: number; step?: number };

/** A correctly chained log: one event per entry of `streams`, positions start, start+step, … */
function buildLog(streams: string[], { alg = 'sha256', hashPositions = true, start = 10, step = 10 }: Options = {}): ChainEvent[] {
  const heads = new Map<string, ChainEvent>();
  return streams.map((streamId, i) => {
    const head = heads.get(streamId);
    const position = start + i * step;
    const event = seal(alg, hashPositions, {
      eventId: `evt-${position}`,
      streamId,
      streamVersion: (head?.streamVersion ?? 0) + 1,
      position,
      prevPosition: head?.position ?? null,
      prevHash: head?.hash ?? null,
      type: 'supervision.task-noted.v1',
      schemaVersion: 1,
      data: { note: `note ${i}`, n: i },
      metadata: { actor: { personId: 'p-1' }, correlationId: `c-${i}` },
      recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      hash: '',
    });
    heads.set(streamId, event);
    return event;
  });
}

/** (Re)computes an event's hash, as a forger with write access could. */
function seal(alg: HashAlgorithm, hashPositions: boolean, event: ChainEvent): ChainEvent {
  return { ...event, hash: computeEventHash(alg, { ...event, position: hashPositions ? event.position : null }) };
}

const at = (log: ChainEvent[], position: number): ChainEvent => {
  const event = log.find((e) => e.position === position);
  if (!event) throw new Error(`no event at ${position}`);
  return event;
};

const STREAMS = ['a', 'b', 'a', 'c', 'a', 'b', 'a', 'c', 'b', 'a']; // positions 10..100

describe('verifyChains', () => {
  it.each(['sha256', 'sm3'] as const)('accepts an intact interleaved log (%s)', (alg) => {
    const log = buildLog(STREAMS, { alg });
    expect(verifyChains(alg, log)).toEqual({ ok: true, checkedEvents: 10 });
    expect(verifyChains(alg, [])).toEqual({ ok: true, checkedEvents: 0 });
  });

  it('reports a changed payload as hash_mismatch at its position', () => {
    const log = buildLog(STREAMS);
    const i = log.findIndex((e) => e.position === 50);
    log[i] = { ...at(log, 50), data: { note: 'note 4', n: 5 } };
    expect(verifyChains('sha256', log)).toMatchObject({
      ok: false,
      checkedEvents: 4,
      firstBad: { position: 50, streamId: 'a', eventId: 'evt-50', reason: 'hash_mismatch' },
    });
  });

  it('names the exact position of a deleted middle event', () => {
    const log = buildLog(STREAMS).filter((e) => e.position !== 50); // a v3; next a is v4 at 70
    const result = verifyChains('sha256', log);
    expect(result).toMatchObject({ ok: false, firstBad: { position: 50, streamId: 'a', eventId: null, reason: 'missing_event' } });
    expect(result.firstBad?.detail).toContain('evt-70');
  });

  it('names the exact position of several deleted events by the latest one the successor links to', () => {
    const log = buildLog(STREAMS).filter((e) => e.position !== 30 && e.position !== 50);
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 50, reason: 'missing_event' });
  });

  it('detects a deleted first event of a stream when told where the range starts', () => {
    const log = buildLog(STREAMS).filter((e) => e.position !== 40); // c v1; c v2 at 80
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 40, streamId: 'c', reason: 'missing_event' });
    const fromStart = buildLog(STREAMS).filter((e) => e.position !== 10);
    expect(verifyChains('sha256', fromStart, { fromPosition: 0 }).firstBad).toMatchObject({
      position: 10,
      streamId: 'a',
      reason: 'missing_event',
    });
  });

  it.each([
    ['different streams', 20, 50],
    ['the same stream', 30, 50],
  ])('reports rows whose contents were swapped (%s) at the first of the two positions', (_label, p, q) => {
    const log = buildLog(STREAMS);
    const i = log.findIndex((e) => e.position === p);
    const j = log.findIndex((e) => e.position === q);
    const [x, y] = [log[i] as ChainEvent, log[j] as ChainEvent];
    log[i] = { ...y, position: x.position };
    log[j] = { ...x, position: y.position };
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: p, reason: 'hash_mismatch' });
  });

  it('catches a same-stream swap even when positions are not hashed (EventStoreDB)', () => {
    const log = buildLog(STREAMS, { hashPositions: false });
    const [x, y] = [log[2] as ChainEvent, log[4] as ChainEvent]; // a v2 at 30, a v3 at 50
    log[2] = { ...y, position: x.position };
    log[4] = { ...x, position: y.position };
    expect(verifyChains('sha256', log, { hashPositions: false }).firstBad).toMatchObject({ position: 30, reason: 'broken_link' });
  });

  it('reports a forged event with a bad hash where it was inserted', () => {
    const log = buildLog(STREAMS);
    const forged = { ...at(log, 50), eventId: 'forged', position: 55, data: { note: 'forged' } };
    log.splice(5, 0, forged);
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 55, eventId: 'forged', reason: 'hash_mismatch' });
  });

  it('reports a well-hashed forged event at the real successor whose link it broke', () => {
    const log = buildLog(STREAMS);
    const a3 = at(log, 50);
    // Forger links a fake a v4 to a v3 and hashes it correctly; the real a v4 (70) still links to 50.
    const forged = seal('sha256', true, { ...a3, eventId: 'forged', streamVersion: 4, position: 55, prevPosition: 50, prevHash: a3.hash });
    log.splice(5, 0, forged);
    const result = verifyChains('sha256', log);
    expect(result.firstBad).toMatchObject({ position: 70, streamId: 'a', eventId: 'evt-70', reason: 'broken_link' });
    expect(result.firstBad?.detail).toContain('55');
  });

  it('reports reordered rows as position_order', () => {
    const log = buildLog(STREAMS);
    [log[3], log[4]] = [log[4] as ChainEvent, log[3] as ChainEvent];
    expect(verifyChains('sha256', log)).toMatchObject({
      ok: false,
      checkedEvents: 4,
      firstBad: { position: 40, eventId: 'evt-40', reason: 'position_order' },
    });
    const duplicated = buildLog(STREAMS);
    duplicated[4] = { ...(duplicated[4] as ChainEvent), position: 40 };
    expect(verifyChains('sha256', duplicated).firstBad).toMatchObject({ position: 40, reason: 'position_order' });
  });

  it('reports a version that does not follow, even when hashed and linked correctly', () => {
    const log = buildLog(STREAMS);
    const i = log.findIndex((e) => e.position === 50);
    log[i] = seal('sha256', true, { ...at(log, 50), streamVersion: 7 });
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 50, reason: 'version_order' });
  });

  it('requires the first event of a stream to have no predecessor', () => {
    const log = buildLog(STREAMS);
    log[0] = seal('sha256', true, { ...(log[0] as ChainEvent), prevHash: 'ab'.repeat(32), prevPosition: 5 });
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 10, reason: 'broken_link' });
  });

  it('reports an unparseable stored link as hash_mismatch rather than throwing', () => {
    const log = buildLog(STREAMS);
    log[2] = { ...(log[2] as ChainEvent), prevHash: 'not-hex' };
    expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 30, reason: 'hash_mismatch' });
  });

  describe('ranges that start mid-stream', () => {
    const log = buildLog(STREAMS);
    const tail = log.slice(5); // positions 60..100
    const anchors = new Map<string, ChainAnchor>();
    for (const e of log.slice(0, 5)) anchors.set(e.streamId, { version: e.streamVersion, hash: e.hash, position: e.position });

    it('links each stream to its anchor', () => {
      expect(verifyChains('sha256', tail, { anchors })).toEqual({ ok: true, checkedEvents: 5 });
    });

    it('verifies a log page by page with the previous pages as anchors', () => {
      const first = verifyChains('sha256', log.slice(0, 5));
      expect(first.ok).toBe(true);
      expect(verifyChains('sha256', tail, { anchors, fromPosition: 0 }).ok).toBe(true);
    });

    it('rejects a wrong anchor', () => {
      const wrong = new Map(anchors);
      wrong.set('b', { ...(anchors.get('b') as ChainAnchor), hash: 'cd'.repeat(32) });
      expect(verifyChains('sha256', tail, { anchors: wrong }).firstBad).toMatchObject({ position: 60, streamId: 'b', reason: 'broken_link' });
    });

    it('names a missing event right after the anchor', () => {
      const withoutB3 = tail.filter((e) => e.position !== 60);
      expect(verifyChains('sha256', withoutB3, { anchors }).firstBad).toMatchObject({ position: 60, streamId: 'b', reason: 'missing_event' });
    });

    it('accepts unanchored first links when the predecessor lies before the range', () => {
      expect(verifyChains('sha256', tail)).toEqual({ ok: true, checkedEvents: 5 });
    });

    it('treats unanchored predecessors inside the stated range as missing', () => {
      // b v2 at 60 is the first event and links to b v1 at 20, which should have been read.
      expect(verifyChains('sha256', tail, { fromPosition: 0 }).firstBad).toMatchObject({ position: 20, streamId: 'b', reason: 'missing_event' });
    });
  });

  describe('logs whose positions were not known at write time (EventStoreDB)', () => {
    const log = buildLog(STREAMS, { hashPositions: false });

    it('verifies with hashPositions false', () => {
      expect(verifyChains('sha256', log, { hashPositions: false })).toEqual({ ok: true, checkedEvents: 10 });
    });

    it('does not verify as if positions were hashed', () => {
      expect(verifyChains('sha256', log).firstBad).toMatchObject({ position: 10, reason: 'hash_mismatch' });
    });

    it('still names a deleted event exactly', () => {
      const gapped = log.filter((e) => e.position !== 60);
      expect(verifyChains('sha256', gapped, { hashPositions: false }).firstBad).toMatchObject({ position: 60, streamId: 'b', reason: 'missing_event' });
    });
  });
});

describe('verifyChains without hashed positions (EventStoreDB)', () => {
  it('accepts later events of one append that could not name their predecessor position', () => {
    const first = { eventId: 'e1', streamId: 's-1', streamVersion: 1, position: 100, prevPosition: null, type: 't', schemaVersion: 1, data: { i: 1 }, metadata: {}, recordedAt: '2026-11-22T00:00:00.000Z', prevHash: null };
    const h1 = computeEventHash('sha256', { ...first, position: null });
    const second = { ...first, eventId: 'e2', streamVersion: 2, position: 200, prevPosition: null, data: { i: 2 }, prevHash: h1 };
    const h2 = computeEventHash('sha256', { ...second, position: null });
    const events = [{ ...first, hash: h1 }, { ...second, hash: h2 }];
    expect(verifyChains('sha256', events, { hashPositions: false })).toEqual({ ok: true, checkedEvents: 2 });
    const forged = [{ ...first, hash: h1 }, { ...second, prevHash: 'ab'.repeat(32), hash: computeEventHash('sha256', { ...second, prevHash: 'ab'.repeat(32), position: null }) }];
    expect(verifyChains('sha256', forged, { hashPositions: false })).toMatchObject({ ok: false, firstBad: { reason: 'broken_link', position: 200 } });
  });
});
