import { canonicalize } from './canonical-json';
import { digest } from './hash';
import { computeEventHash, type EventHashInput, GENESIS_HASH } from './event-hash';

const base: EventHashInput = {
  prevHash: null,
  prevPosition: null,
  eventId: '0190f4c2-7a1b-7c3d-9e4f-0123456789ab',
  streamId: 'supervision.task-0190f4c2-7a1b-7c3d-9e4f-0123456789ab',
  streamVersion: 1,
  position: 17,
  type: 'supervision.task-issued.v1',
  schemaVersion: 1,
  data: { title: '关于某信访事项的督办', deadline: '2025-01-31', unitIds: ['u-2', 'u-1'] },
  metadata: { actor: { personId: 'p-1', name: '张三', unitId: null, roles: ['supervisor'] }, correlationId: 'c-1' },
  recordedAt: '2025-01-01T00:00:01.000Z',
};

/** The documented definition, written out independently of the optimized implementation. */
function reference(alg: 'sha256' | 'sm3', input: EventHashInput): string {
  const { prevHash, eventId, streamId, streamVersion, position, prevPosition, type, schemaVersion, data, metadata, recordedAt } = input;
  const prev = prevHash === null ? Buffer.alloc(32) : Buffer.from(prevHash, 'hex');
  const body = canonicalize({ eventId, streamId, streamVersion, position, prevPosition, type, schemaVersion, data, metadata, recordedAt });
  return digest(alg, prev, body).toString('hex');
}

describe('computeEventHash', () => {
  it.each(['sha256', 'sm3'] as const)('follows the documented definition (%s)', (alg) => {
    const first = computeEventHash(alg, base);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(first).toBe(reference(alg, base));
    const second = { ...base, prevHash: first, prevPosition: 17, streamVersion: 2, position: 20 };
    expect(computeEventHash(alg, second)).toBe(reference(alg, second));
  });

  it('pins the persisted format with fixed vectors', () => {
    // If these change, every stored hash is invalidated: the format must never change.
    const tiny: EventHashInput = {
      ...base, data: {}, metadata: {}, eventId: 'e', streamId: 's', type: 't', recordedAt: 'r',
    };
    // = HASH(32 zero bytes || '{"data":{},"eventId":"e","metadata":{},"position":17,"prevPosition":null,
    //   "recordedAt":"r","schemaVersion":1,"streamId":"s","streamVersion":1,"type":"t"}')
    expect(computeEventHash('sha256', tiny)).toBe('2e269901d89f8cf8099b4b7791f4ef55d1bc6999d65f3ee754eb784b63319ab1');
    expect(computeEventHash('sm3', tiny)).toBe('4ad72e5f92a9b25b52d6f5c5916d5b8a543801c991dbabbe68fc8c1b2fa409ab');
  });

  it('treats a null prevHash as 32 zero bytes (GENESIS_HASH)', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(computeEventHash('sha256', { ...base, prevHash: GENESIS_HASH })).toBe(computeEventHash('sha256', base));
  });

  it('changes with every hashed field, including position and the link', () => {
    const h = computeEventHash('sha256', base);
    const variants: Partial<EventHashInput>[] = [
      { prevHash: 'ab'.repeat(32) },
      { prevPosition: 3 },
      { eventId: 'other' },
      { streamId: 'other' },
      { streamVersion: 2 },
      { position: 18 },
      { position: null },
      { type: 'other' },
      { schemaVersion: 2 },
      { data: { ...(base.data as object), title: 'x' } },
      { metadata: {} },
      { recordedAt: '2025-01-01T00:00:01.001Z' },
    ];
    for (const change of variants) {
      expect(computeEventHash('sha256', { ...base, ...change })).not.toBe(h);
    }
  });

  it('does not depend on key order in data or metadata', () => {
    const reordered = { ...base, data: { unitIds: ['u-2', 'u-1'], deadline: '2025-01-31', title: '关于某信访事项的督办' } };
    expect(computeEventHash('sm3', reordered)).toBe(computeEventHash('sm3', base));
  });

  it('handles bodies larger than the initial scratch buffer, and huge ones', () => {
    for (const size of [40_000, 200_000]) {
      const big = { ...base, data: { text: '信'.repeat(size) } };
      expect(computeEventHash('sha256', big)).toBe(reference('sha256', big));
      expect(computeEventHash('sha256', base)).toBe(reference('sha256', base));
    }
  });

  it('rejects values that would hash differently after a database round trip', () => {
    const wrong = (change: Record<string, unknown>) => ({ ...base, ...change }) as unknown as EventHashInput;
    expect(() => computeEventHash('sha256', wrong({ position: '17' }))).toThrow(/position/);
    expect(() => computeEventHash('sha256', wrong({ prevPosition: 1.5 }))).toThrow(/prevPosition/);
    expect(() => computeEventHash('sha256', wrong({ recordedAt: new Date() }))).toThrow(/recordedAt/);
    expect(() => computeEventHash('sha256', wrong({ streamVersion: undefined }))).toThrow(/streamVersion/);
    expect(() => computeEventHash('sha256', { ...base, prevHash: 'abc' })).toThrow(/prevHash/);
  });

  it('is fast enough for the append path', () => {
    const input = { ...base, prevHash: 'ab'.repeat(32), prevPosition: 16, streamVersion: 2 };
    for (let i = 0; i < 2000; i += 1) computeEventHash('sha256', input); // warm up the JIT
    const runs = 20_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i += 1) computeEventHash('sha256', input);
    const micros = Number(process.hrtime.bigint() - started) / runs / 1000;
    // Generous bound so a loaded CI box does not flake; typical is a few µs.
    expect(micros).toBeLessThan(50);
  });
});
