import { hashFromHex, verifyCheckpoint, verifyInclusion, type HashAlgorithm, type SignedCheckpoint } from '@app/ledger';
import { type ApiHarness, ok } from './support/api-harness';
import { issueProvincialTask, registerChuanshan, startCheckedApi, storedEvents } from './support/audit-fixtures';
import type { OpenApiContract } from './support/openapi';

describe('verification, checkpoints, inclusion proofs and the access log over HTTP', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  const issue = (id: string) => issueProvincialTask(api, id, '落实会议议定事项');
  const taskEvents = (id: string) => storedEvents(api, `supervision.task-${id}`);
  const reads = async (personId: string) => ok(await api.get(`/audit/access-log?personId=${personId}&limit=200`, 'admin')).body.items as { resource: string; params: Record<string, unknown>; actor: { personId: string } }[];

  beforeAll(async () => {
    ({ api, contract } = await startCheckedApi('e2e_ledger'));
    await registerChuanshan(api);
    ok(await issue('lanwei'), 201);
    ok(await api.post('/tasks/lanwei/sign-for', 'cs'));
    ok(await issue('wuye'), 201);
  });
  afterAll(async () => api?.stop());

  it('only inspectors reach the ledger endpoints; admins may verify and read the access log; refusals record nothing', async () => {
    const before = await api.eventCount();
    const calls = {
      verify: (who: string) => api.post('/audit/verifications', who, {}),
      checkpoints: (who: string) => api.get('/audit/checkpoints', who),
      proof: (who: string) => api.get('/audit/checkpoints/1/proof?eventId=x', who),
      exports: (who: string) => api.post('/audit/exports', who, { taskIds: ['lanwei'] }),
      accessLog: (who: string) => api.get('/audit/access-log', who),
    };
    for (const call of Object.values(calls)) {
      for (const who of ['office', 'cs']) expect((await call(who)).status).toBe(403);
    }
    for (const call of [calls.checkpoints, calls.proof, calls.exports]) expect((await call('admin')).body.code).toBe('ROLE_FORBIDDEN');
    expect(await api.eventCount()).toBe(before);
    expect(ok(await calls.verify('admin')).body).toMatchObject({ ok: true });
    ok(await calls.accessLog('admin'));
  });

  it('verifies the whole log, a range and one stream as intact, and refuses a bad request without recording it', async () => {
    const all = ok(await api.post('/audit/verifications', 'inspector', {})).body;
    expect(all).toMatchObject({ ok: true });
    expect(all.checkedEvents).toBeGreaterThanOrEqual(await api.eventCount() - 1);
    expect(all).not.toHaveProperty('firstBad');
    expect(ok(await api.post('/audit/verifications', 'inspector', { streamId: 'supervision.task-lanwei' })).body).toMatchObject({ ok: true, checkedEvents: 2 });
    const [, second] = await taskEvents('lanwei');
    // A range starting mid-log, over streams that begin inside it (the access log's own reads).
    expect(ok(await api.post('/audit/verifications', 'inspector', { fromPosition: Number(second?.position) })).body).toMatchObject({ ok: true });

    const before = await api.eventCount();
    const backwards = await api.post('/audit/verifications', 'inspector', { fromPosition: 9, toPosition: 3 });
    expect([backwards.status, backwards.body.code, backwards.body.errors?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'fromPosition']);
    expect((await api.post('/audit/verifications', 'inspector', { streamId: 'supervision.task-nope' })).body.code).toBe('STREAM_NOT_FOUND');
    expect((await api.post('/audit/verifications', 'inspector', { fromPosition: -1 })).status).toBe(400);
    expect(await api.eventCount()).toBe(before);
    expect((await reads('p-jj')).filter((r) => r.resource === 'audit.verifications').map((r) => r.params)).toEqual([
      { fromPosition: null, toPosition: null, streamId: null },
      { fromPosition: null, toPosition: null, streamId: 'supervision.task-lanwei' },
      { fromPosition: Number(second?.position), toPosition: null, streamId: null },
    ]);
  });

  it('lists signed checkpoints and proves an event is in one, checkable with nothing but the reply', async () => {
    expect(ok(await api.get('/audit/checkpoints', 'inspector')).body).toEqual({ items: [], nextCursor: null });
    // An export signs the first checkpoint when none covers the events yet.
    ok(await api.post('/audit/exports', 'inspector', { taskIds: ['lanwei'] }));
    const listed = ok(await api.get('/audit/checkpoints', 'inspector')).body.items as (SignedCheckpoint & { publicKey: string })[];
    expect(listed).toHaveLength(1);
    const [cp] = listed as [SignedCheckpoint & { publicKey: string }];
    expect(verifyCheckpoint(cp, cp.publicKey, null)).toEqual({ ok: true });

    const [issued] = await taskEvents('lanwei');
    const proof = ok(await api.get(`/audit/checkpoints/1/proof?eventId=${issued?.event_id}`, 'inspector')).body as { leafHash: string; leafIndex: number; treeSize: number; auditPath: string[]; rootHash: string; hashAlgorithm: HashAlgorithm; position: number; streamId: string };
    expect(proof).toMatchObject({ streamId: 'supervision.task-lanwei', position: Number(issued?.position), treeSize: cp.treeSize, rootHash: cp.rootHash, checkpoint: { seq: 1 } });
    const path = proof.auditPath.map((h) => hashFromHex(h));
    expect(verifyInclusion(proof.hashAlgorithm, hashFromHex(proof.leafHash), proof.leafIndex, proof.treeSize, path, hashFromHex(cp.rootHash))).toBe(true);
    expect(verifyInclusion(proof.hashAlgorithm, hashFromHex(proof.leafHash), proof.leafIndex + 1, proof.treeSize, path, hashFromHex(cp.rootHash))).toBe(false);

    ok(await api.post('/tasks/wuye/sign-for', 'cs'));
    const [, later] = await taskEvents('wuye');
    const after = await api.get(`/audit/checkpoints/1/proof?eventId=${later?.event_id}`, 'inspector');
    expect([after.status, after.body.code]).toEqual([422, 'EVENT_AFTER_CHECKPOINT']);
    expect((await api.get(`/audit/checkpoints/7/proof?eventId=${issued?.event_id}`, 'inspector')).body.code).toBe('CHECKPOINT_NOT_FOUND');
    expect((await api.get('/audit/checkpoints/1/proof?eventId=0190a000-0000-7000-8000-000000000000', 'inspector')).body.code).toBe('EVENT_NOT_FOUND');
    expect((await api.get('/audit/checkpoints/1/proof?eventId=not-an-id', 'inspector')).status).toBe(404);
    expect((await api.get('/audit/checkpoints/1/proof', 'inspector')).body.code).toBe('EVENT_ID_REQUIRED');
    expect((await api.get('/audit/checkpoints/x/proof?eventId=a', 'inspector')).status).toBe(400);
    expect((await reads('p-jj')).filter((r) => r.resource === 'audit.checkpoint-proof').map((r) => r.params)).toEqual([{ seq: 1, eventId: issued?.event_id }]);
  });

  it('records every inspector read before answering, and pages the access log by cursor', async () => {
    ok(await api.get('/audit/checkpoints?limit=1', 'inspector'));
    const mine = await reads('p-jj');
    expect(mine.at(-1)).toMatchObject({ resource: 'audit.checkpoints', params: { limit: 1, cursor: null }, actor: { personId: 'p-jj' } });
    expect(mine.map((r) => r.resource)).toEqual(expect.arrayContaining(['audit.verifications', 'audit.exports', 'audit.checkpoints', 'audit.checkpoint-proof']));
    expect((await reads('p-admin')).every((r) => r.actor.personId === 'p-admin')).toBe(true);

    const first = ok(await api.get('/audit/access-log?limit=2', 'inspector')).body as { items: { eventId: string; at: string }[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    expect(first.items[0]?.at).toMatch(/\+08:00$/);
    const second = ok(await api.get(`/audit/access-log?limit=2&cursor=${first.nextCursor}`, 'inspector')).body as { items: { eventId: string }[] };
    expect(second.items.map((i) => i.eventId)).not.toContain(first.items[1]?.eventId);
    expect(second.items).toHaveLength(2);
    expect((await api.get('/audit/access-log?cursor=abc', 'inspector')).body.code).toBe('INVALID_CURSOR');
  });

  it('refuses exports of nothing, of unknown streams and tasks, and of an empty range', async () => {
    const before = await api.eventCount();
    expect((await api.post('/audit/exports', 'inspector', {})).body).toMatchObject({ status: 400, code: 'SELECTION_REQUIRED' });
    expect((await api.post('/audit/exports', 'inspector', { taskIds: [] })).status).toBe(400);
    expect((await api.post('/audit/exports', 'inspector', { taskIds: ['lanwei', 'nope'] })).body).toMatchObject({ status: 404, code: 'TASK_NOT_FOUND' });
    expect((await api.post('/audit/exports', 'inspector', { streamIds: ['supervision.task-nope'] })).body).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND' });
    expect((await api.post('/audit/exports', 'inspector', { taskIds: ['lanwei'], fromPosition: 1_000_000 })).body).toMatchObject({ status: 422, code: 'EMPTY_SELECTION' });
    expect((await api.post('/audit/exports', 'inspector', { taskIds: ['lanwei'], extra: 1 })).status).toBe(400);
    expect(await api.eventCount()).toBe(before);
  });

  it('every reply matched the OpenAPI document', () => {
    expect(contract.violations).toEqual([]);
  });
});
