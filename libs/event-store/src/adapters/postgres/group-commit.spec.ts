import { newEvent } from '../../testing/event-store.contract';
import type { AppendRequest } from './append-request';
import { takeBatch, type BatchLimits } from './group-commit';

function request(streamId: string, events = 1): AppendRequest {
  return { streamId, events: Array.from({ length: events }, () => newEvent('gc.a.v1', {})), expected: 'any', resolve: () => undefined, reject: () => undefined };
}

const open: BatchLimits = { inFlightRequests: 0, maxBatches: 1, maxEvents: 1000, busyStreams: new Set() };
const streamsOf = (requests: AppendRequest[]): string[] => requests.map((r) => r.streamId);

describe('takeBatch (group commit)', () => {
  it('takes everything in arrival order when nothing limits it', () => {
    const queue = ['a', 'b', 'c'].map((s) => request(s));
    expect(streamsOf(takeBatch(queue, open).batch)).toEqual(['a', 'b', 'c']);
  });

  it('leaves a stream’s later requests, and everything after them on that stream, for a later batch', () => {
    const queue = [request('a'), request('b'), request('a'), request('c'), request('a')];
    const { batch, waiting } = takeBatch(queue, open);
    expect(streamsOf(batch)).toEqual(['a', 'b', 'c']);
    expect(waiting).toEqual([queue[2], queue[4]]);
  });

  it('never takes a stream that is already being written', () => {
    const { batch, waiting } = takeBatch([request('a'), request('b')], { ...open, busyStreams: new Set(['a']) });
    expect(streamsOf(batch)).toEqual(['b']);
    expect(streamsOf(waiting)).toEqual(['a']);
  });

  it('never puts one event id into a batch twice', () => {
    const first = request('a');
    const again: AppendRequest = { ...request('b'), events: first.events };
    const { batch, waiting } = takeBatch([first, again, request('c')], open);
    expect(streamsOf(batch)).toEqual(['a', 'c']);
    expect(waiting).toEqual([again]);
  });

  it('shares the outstanding requests fairly between batch slots', () => {
    const queue = 'abcdefg'.split('').map((s) => request(s));
    // 7 queued + 1 in flight, 2 slots: 4 now, the rest when the other slot frees.
    const { batch, waiting } = takeBatch(queue, { ...open, maxBatches: 2, inFlightRequests: 1 });
    expect(streamsOf(batch)).toEqual(['a', 'b', 'c', 'd']);
    expect(streamsOf(waiting)).toEqual(['e', 'f', 'g']);
  });

  it('caps the events of a batch, but sends a single larger request alone', () => {
    const queue = [request('a', 600), request('b', 600), request('c', 300)];
    expect(streamsOf(takeBatch(queue, open).batch)).toEqual(['a', 'c']);
    expect(streamsOf(takeBatch([request('big', 5000), request('b')], open).batch)).toEqual(['big']);
  });
});
