import { InMemoryEventStore } from '@app/event-store';
import { generateSigningKey, hashAlgorithmFor, keyIdOf, sealDocument, type LedgerAlgorithm } from '@app/ledger';
import { ManualClock, uuidv7 } from '@app/shared-kernel';
import type { CheckpointRepository, StoredCheckpoint } from './checkpoint.repository';
import { CheckpointService } from './checkpoint.service';
import { verifyEvidenceBundle, type EvidenceBundle } from './evidence-bundle';
import { EvidenceBundleExporter } from './evidence-bundle.exporter';

const actor = { personId: 'p-jj', name: '纪检 周', unitId: null, roles: ['inspector'] };

function event(n: number) {
  return {
    eventId: uuidv7(),
    type: 'supervision.progress-reported.v1',
    schemaVersion: 1,
    data: { n, summary: `第${n}次进展` },
    metadata: { actor, correlationId: uuidv7(), causationId: null, requestId: null, occurredAt: '2026-11-22T01:00:00.000Z' },
  };
}

/** The checkpoint table, in memory: enough for the exporter and the signer. */
function memoryCheckpoints(): CheckpointRepository {
  const rows: StoredCheckpoint[] = [];
  return {
    latest: async () => rows.at(-1) ?? null,
    all: async () => [...rows],
    insert: async (cp: StoredCheckpoint) => void rows.push(cp),
  } as unknown as CheckpointRepository;
}

/** Tasks a and b interleaved (four events each) plus an unrelated stream, exported as tasks a and b. */
async function bundle(algorithm: LedgerAlgorithm = 'ed25519'): Promise<EvidenceBundle> {
  const clock = new ManualClock('2026-11-22T02:00:00.000Z');
  const store = new InMemoryEventStore({ clock, hashAlgorithm: hashAlgorithmFor(algorithm) });
  for (let i = 1; i <= 4; i += 1) {
    for (const s of ['a', 'b', 'other']) await store.append(`supervision.task-${s}`, [event(i)], i - 1);
  }
  const repo = memoryCheckpoints();
  const pair = generateSigningKey(algorithm);
  const signer = new CheckpointService(store, repo, { algorithm, keyId: keyIdOf(pair.publicKeyPem), ...pair }, clock);
  return new EvidenceBundleExporter(store, repo, signer, algorithm, true, clock).export({ taskIds: ['a', 'b'] }, actor);
}

/** A deep copy to tamper with, as a JSON file on disk would be. */
const copy = (b: EvidenceBundle): EvidenceBundle => JSON.parse(JSON.stringify(b)) as EvidenceBundle;

describe('evidence bundles, verified offline', () => {
  let intact: EvidenceBundle;
  beforeAll(async () => {
    intact = await bundle();
  });

  it.each(['ed25519', 'sm2'] as const)('an intact bundle verifies: whole chains from genesis, a proof per event (%s)', async (alg) => {
    const b = await bundle(alg);
    expect(b.events.map((e) => e.streamVersion)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(b.proofs).toHaveLength(8);
    expect(b.checkpoint).toMatchObject({ seq: 1, treeSize: 12 });
    expect(verifyEvidenceBundle(copy(b))).toEqual({ ok: true, checkedEvents: 8, streams: 2, checkpoint: expect.objectContaining({ seq: 1, treeSize: 12 }) });
  });

  it.each([
    ['data', (e: EvidenceBundle['events'][number]) => ((e.data as { summary: string }).summary = '第9次进展')],
    ['metadata', (e: EvidenceBundle['events'][number]) => ((e.metadata as { actor: { name: string } }).actor.name = '纪检 吴')],
    ['type', (e: EvidenceBundle['events'][number]) => (e.type = 'supervision.progress-reported.v2')],
    ['recordedAt', (e: EvidenceBundle['events'][number]) => (e.recordedAt = e.recordedAt.replace('02:00', '03:00'))],
  ])('one character of an event’s %s changed: names that event', (_field, change) => {
    const b = copy(intact);
    const target = b.events[3] as EvidenceBundle['events'][number];
    change(target);
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { eventId: target.eventId, streamId: target.streamId, position: target.position, reason: 'hash_mismatch' } });
  });

  it('an event removed from the middle of a chain: names it by the proof left behind', () => {
    const b = copy(intact);
    const [gone] = b.events.splice(2, 1) as [EvidenceBundle['events'][number]];
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { eventId: gone.eventId, streamId: gone.streamId, position: gone.position, reason: 'missing_event' } });
  });

  it('an event and its proof removed: still names the stream and position', () => {
    const b = copy(intact);
    const [gone] = b.events.splice(2, 1) as [EvidenceBundle['events'][number]];
    b.proofs = b.proofs.filter((p) => p.eventId !== gone.eventId);
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { streamId: gone.streamId, position: gone.position, reason: 'missing_event' } });
  });

  it('the last event of a stream removed: caught by the proof left behind', () => {
    const b = copy(intact);
    const [gone] = b.events.splice(7, 1) as [EvidenceBundle['events'][number]];
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { eventId: gone.eventId, reason: 'missing_event' } });
  });

  it('the last event of a stream removed with its proof: caught against the declared end of the stream', () => {
    const b = copy(intact);
    const [gone] = b.events.splice(7, 1) as [EvidenceBundle['events'][number]];
    b.proofs = b.proofs.filter((p) => p.eventId !== gone.eventId);
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { streamId: gone.streamId, reason: 'missing_event' } });
  });

  it('two events swapped: names one of them', () => {
    const b = copy(intact);
    const [x, y] = [b.events[4], b.events[5]] as [EvidenceBundle['events'][number], EvidenceBundle['events'][number]];
    [b.events[4], b.events[5]] = [y, x];
    const r = verifyEvidenceBundle(b);
    expect(r).toMatchObject({ ok: false, firstBad: { reason: 'position_order' } });
    expect([x.eventId, y.eventId]).toContain(r.firstBad?.eventId);
  });

  it('positions of two events swapped in place: names the first', () => {
    const b = copy(intact);
    const [x, y] = [b.events[4], b.events[5]] as [EvidenceBundle['events'][number], EvidenceBundle['events'][number]];
    [x.position, y.position] = [y.position, x.position];
    b.events.sort((p, q) => p.position - q.position);
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { eventId: y.eventId, reason: 'hash_mismatch' } });
  });

  it('a tampered audit path: names the event whose proof fails', () => {
    const b = copy(intact);
    const proof = b.proofs[5] as EvidenceBundle['proofs'][number];
    const first = proof.auditPath[0] as string;
    proof.auditPath[0] = `${first[0] === 'a' ? 'b' : 'a'}${first.slice(1)}`;
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { eventId: proof.eventId, reason: 'proof_invalid' } });
  });

  it('a tampered checkpoint root or signature, or another key: names the checkpoint', () => {
    const root = copy(intact);
    root.checkpoint.rootHash = '0'.repeat(64);
    expect(verifyEvidenceBundle(root)).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint_invalid', detail: expect.stringContaining('checkpoint 1') } });
    const signature = copy(intact);
    signature.checkpoint.signature = Buffer.from('forged').toString('base64');
    expect(verifyEvidenceBundle(signature)).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint_invalid', detail: expect.stringContaining('bad_signature') } });
    const key = copy(intact);
    key.publicKey = generateSigningKey('ed25519').publicKeyPem;
    expect(verifyEvidenceBundle(key)).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint_invalid' } });
  });

  it('a stream cut short together with its declared end, or dropped whole: caught by the seal', () => {
    const cut = copy(intact);
    const [gone] = cut.events.splice(7, 1) as [EvidenceBundle['events'][number]];
    cut.proofs = cut.proofs.filter((p) => p.eventId !== gone.eventId);
    const end = cut.events.filter((e) => e.streamId === gone.streamId).at(-1) as EvidenceBundle['events'][number];
    cut.streams = cut.streams.map((s) => (s.streamId === gone.streamId ? { ...s, lastVersion: end.streamVersion, lastHash: end.hash } : s));
    expect(verifyEvidenceBundle(cut)).toMatchObject({ ok: false, firstBad: { reason: 'seal_invalid', detail: expect.stringContaining('changed after it was sealed') } });

    const dropped = copy(intact);
    const stream = 'supervision.task-b';
    const ids = new Set(dropped.events.filter((e) => e.streamId === stream).map((e) => e.eventId));
    dropped.events = dropped.events.filter((e) => !ids.has(e.eventId));
    dropped.proofs = dropped.proofs.filter((p) => !ids.has(p.eventId));
    dropped.streams = dropped.streams.filter((s) => s.streamId !== stream);
    dropped.selection.streamIds = dropped.selection.streamIds.filter((s) => s !== stream);
    expect(verifyEvidenceBundle(dropped)).toMatchObject({ ok: false, firstBad: { reason: 'seal_invalid' } });
  });

  it('a changed export date or exporter, a seal by another key, or no seal: refused', () => {
    const date = copy(intact);
    date.exportedAt = '2026-11-23T02:00:00.000Z';
    expect(verifyEvidenceBundle(date)).toMatchObject({ ok: false, firstBad: { reason: 'seal_invalid' } });
    const who = copy(intact);
    who.exportedBy.name = '纪检 吴';
    expect(verifyEvidenceBundle(who)).toMatchObject({ ok: false, firstBad: { reason: 'seal_invalid' } });
    const other = copy(intact);
    const { seal: _old, ...body } = other;
    other.seal = sealDocument('ed25519', generateSigningKey('ed25519').privateKeyPem, body);
    expect(verifyEvidenceBundle(other)).toMatchObject({ ok: false, firstBad: { reason: 'seal_invalid', detail: expect.stringContaining("not sealed by the checkpoint's key") } });
    const none = copy(intact) as Partial<EvidenceBundle>;
    delete none.seal;
    expect(verifyEvidenceBundle(none)).toMatchObject({ ok: false, firstBad: { reason: 'malformed', detail: 'seal missing' } });
  });

  it('something that is not a bundle is malformed, not a crash', () => {
    expect(verifyEvidenceBundle([])).toMatchObject({ ok: false, firstBad: { reason: 'malformed' } });
    const b = copy(intact) as unknown as { events: unknown[] };
    b.events[1] = null;
    expect(verifyEvidenceBundle(b)).toMatchObject({ ok: false, firstBad: { reason: 'malformed', detail: expect.stringContaining('event 1') } });
  });
});
