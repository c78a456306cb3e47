import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ApiHarness, ok } from './support/api-harness';
import { AUDIT_ACTORS, registerChuanshan, startCheckedApi } from './support/audit-fixtures';
import type { OpenApiContract } from './support/openapi';

const root = resolve(__dirname, '../..');
const DAY = 86_400_000;

/** The built CLI, with only the environment given. */
function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ZHANG = { subjectId: 's-zhang', name: '张三丰', idNumber: '11010519491231002X', phone: '13800138000' };
const LI = { subjectId: 's-li', name: '李秀英', idNumber: '510903199001011238' };

type Petitioner = { subjectId: string; erased: boolean; redacted: boolean; name?: string; idNumber?: string | null; phone?: string | null } | null;

describe('petitioners’ personal data: sealed per subject, disclosed to inspectors on record, crypto-shredded', () => {
  let api: ApiHarness;
  let contract: OpenApiContract;
  let dir: string;
  let cliEnv: Record<string, string>;

  const petitionTask = (id: string, petitioner: unknown, source: Record<string, unknown> = { kind: 'petition_case', ref: '信访件 2026-0417' }) =>
    api.post('/tasks', 'office', { id, title: `信访件 ${id}`, description: '反映小区加装电梯停运', source, leadUnitId: 'chuanshan', dueAt: new Date(Date.now() + 20 * DAY).toISOString(), petitioner });
  const petitionerOf = async (taskId: string, who: string): Promise<Petitioner> => ok(await api.read(`/tasks/${taskId}`, who)).body.petitioner as Petitioner;
  const petitionerReads = async (): Promise<{ params: Record<string, unknown>; actor: { personId: string } }[]> => {
    const { rows } = await api.sql.query<{ data: { resource: string; params: Record<string, unknown> }; metadata: { actor: { personId: string } } }>(`SELECT data, metadata FROM events WHERE type = 'audit.data-read.v1' ORDER BY position`);
    return rows.filter((r) => r.data.resource === 'tasks.petitioner').map((r) => ({ params: r.data.params, actor: r.metadata.actor }));
  };
  /** Every byte the database holds in the log and the task read model, as text. */
  const storedText = async (): Promise<string> => {
    const events = await api.sql.query<{ t: string }>(`SELECT coalesce(string_agg(data::text || metadata::text, ' '), '') AS t FROM events`);
    const tasks = await api.sql.query<{ t: string }>(`SELECT coalesce(string_agg(state::text || coalesce(board::text, ''), ' '), '') AS t FROM rm_tasks`);
    return `${events.rows[0]?.t ?? ''} ${tasks.rows[0]?.t ?? ''}`;
  };

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'sl-pii-'));
    const masterKey = join(dir, 'pii-master.key');
    ({ api, contract } = await startCheckedApi('e2e_pii', { PII_MASTER_KEY_FILE: masterKey }, { ...AUDIT_ACTORS, lead: { personId: 'p-zj', name: '联席办主任 赵军', roles: ['office', 'office_lead'] } }));
    cliEnv = { DATABASE_URL: api.db.url, LEDGER_KEY_FILE: join(dir, 'cli-ledger.key'), PII_MASTER_KEY_FILE: masterKey };
    await registerChuanshan(api);
  });
  afterAll(async () => api?.stop());

  it('refuses a bad ID number or phone (without echoing them) and a petitioner on a task that is not a petition case, recording nothing', async () => {
    const before = await api.eventCount();
    const badId = await petitionTask('bad-1', { ...ZHANG, idNumber: '110105194912310021' });
    expect([badId.status, badId.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(badId.body.errors).toEqual([{ field: 'petitioner.idNumber', message: expect.stringContaining('check character') }]);
    expect(JSON.stringify(badId.body)).not.toContain('110105194912310021');
    const badPhone = await petitionTask('bad-2', { ...ZHANG, phone: '138-0013-8000' });
    expect(badPhone.body.errors).toEqual([{ field: 'petitioner.phone', message: expect.any(String) }]);
    expect((await petitionTask('bad-3', { ...ZHANG, nickname: 'x' })).status).toBe(400);
    const idAsSubject = await petitionTask('bad-5', { ...ZHANG, subjectId: ZHANG.idNumber });
    expect(idAsSubject.body.errors).toEqual([{ field: 'petitioner.subjectId', message: expect.stringContaining('unencrypted') }]);
    const notPetition = await petitionTask('bad-4', ZHANG, { kind: 'upper_level', ref: '省交办' });
    expect([notPetition.status, notPetition.body.code]).toEqual([422, 'PETITIONER_WITHOUT_PETITION_CASE']);
    expect(await api.eventCount()).toBe(before);
    expect((await api.get('/tasks/bad-4', 'office')).status).toBe(404);
  });

  it('records the petitioner as ciphertext only: the log and the read model hold no name, ID number or phone', async () => {
    ok(await petitionTask('xf-1', ZHANG), 201);
    ok(await petitionTask('xf-2', { ...ZHANG, idNumber: ZHANG.idNumber.toLowerCase() }), 201); // the same person, a second case
    ok(await petitionTask('xf-3', LI), 201);
    const anonymous = ok(await petitionTask('xf-4', { name: '王五' }), 201);
    expect(anonymous.body.id).toBe('xf-4');
    await api.read('/tasks/xf-4', 'office');

    const [issued] = await api.events('supervision.task-xf-1');
    const petitioner = issued?.data.petitioner as { subjectId: string; ciphertext: Record<string, string | null> };
    expect(petitioner.subjectId).toBe('s-zhang');
    expect(Object.keys(petitioner.ciphertext).sort()).toEqual(['idNumber', 'name', 'phone']);
    for (const value of Object.values(petitioner.ciphertext)) expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{40,}$/);
    const text = await storedText();
    expect(text).toContain('信访件 xf-3'); // the rows searched are the real ones
    for (const secret of [ZHANG.name, ZHANG.idNumber, ZHANG.phone, LI.name, LI.idNumber, '王五']) expect(text).not.toContain(secret);
    // A task without a petitioner keeps the event shape it always had.
    ok(await api.post('/tasks', 'office', { id: 'plain', title: '普通任务', description: 'd', source: { kind: 'upper_level' }, leadUnitId: 'chuanshan', dueAt: new Date(Date.now() + 20 * DAY).toISOString() }), 201);
    expect((await api.events('supervision.task-plain'))[0]?.data).not.toHaveProperty('petitioner');
  });

  it('shows the office, its director and the unit only that a petitioner exists, and logs no disclosure for them', async () => {
    for (const who of ['office', 'lead', 'cs']) expect(await petitionerOf('xf-1', who)).toEqual({ subjectId: 's-zhang', erased: false, redacted: true });
    const listed = ok(await api.read('/tasks?limit=200', 'office')).body.items as { id: string; petitioner: Petitioner }[];
    expect(listed.find((t) => t.id === 'xf-3')?.petitioner).toEqual({ subjectId: 's-li', erased: false, redacted: true });
    expect(listed.find((t) => t.id === 'plain')?.petitioner).toBeNull();
    const generated = listed.find((t) => t.id === 'xf-4')?.petitioner;
    expect(generated?.subjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await petitionerReads()).toEqual([]);
  });

  it('opens it for an inspector, and every such read is on record in the access log before the answer', async () => {
    expect(await petitionerOf('xf-1', 'inspector')).toEqual({ subjectId: 's-zhang', erased: false, redacted: false, name: ZHANG.name, idNumber: ZHANG.idNumber, phone: ZHANG.phone });
    expect(await petitionerOf('xf-3', 'inspector')).toEqual({ subjectId: 's-li', erased: false, redacted: false, name: LI.name, idNumber: LI.idNumber, phone: null });
    const listed = ok(await api.read('/tasks?limit=200', 'inspector')).body.items as { id: string; petitioner: Petitioner }[];
    expect(listed.find((t) => t.id === 'xf-2')?.petitioner).toMatchObject({ name: ZHANG.name, idNumber: ZHANG.idNumber });

    const reads = await petitionerReads();
    expect(reads.map((r) => r.actor.personId)).toEqual(['p-jj', 'p-jj', 'p-jj']);
    expect(reads[0]?.params).toEqual({ taskIds: 'xf-1', subjectIds: 's-zhang' });
    expect(String(reads[2]?.params.taskIds).split(',').sort()).toEqual(['xf-1', 'xf-2', 'xf-3', 'xf-4']);
    const log = ok(await api.get('/audit/access-log?personId=p-jj&limit=200', 'admin')).body.items as { resource: string; params: Record<string, unknown> }[];
    expect(log.filter((e) => e.resource === 'tasks.petitioner').map((e) => e.params.taskIds)).toEqual(['xf-1', 'xf-3', expect.stringContaining('xf-2')]);
  });

  it('shred-subject destroys the key once (a second run says so, an unknown subject exits 1), recording who did it', async () => {
    const first = cli(['shred-subject', 's-zhang', '--by', '数据管理员 孙', '--reason', '信访人申请删除个人信息'], cliEnv);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ outcome: 'shredded', subjectId: 's-zhang', shreddedAt: expect.any(String), eventId: expect.any(String) });
    expect(first.stderr).toContain('Shredded subject s-zhang');

    const again = cli(['shred-subject', 's-zhang'], cliEnv);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'already_shredded', subjectId: 's-zhang' });
    expect(again.stderr).toContain('already shredded');

    const unknown = cli(['shred-subject', 'nobody'], cliEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody');
    expect(cli(['shred-subject'], cliEnv).code).toBe(2);

    const { rows } = await api.sql.query<{ key: Buffer | null; shredded_at: Date | null }>(`SELECT key, shredded_at FROM pii_subject_keys WHERE subject_id = 's-zhang'`);
    expect(rows).toEqual([{ key: null, shredded_at: expect.any(Date) }]);
    const events = await api.events('pii.subject-s-zhang');
    expect(events.map((e) => e.type)).toEqual(['pii.subject-shredded.v1']);
    expect(events[0]?.data).toEqual({ subjectId: 's-zhang', reason: '信访人申请删除个人信息', at: expect.any(String) });
    expect(events[0]?.metadata.actor).toMatchObject({ name: '数据管理员 孙', roles: ['admin'] });
  });

  it('after shredding, everyone (inspectors included) sees the subject as erased, on every task about it; other subjects are untouched', async () => {
    const readsBefore = (await petitionerReads()).length;
    for (const who of ['inspector', 'office', 'cs']) {
      expect(await petitionerOf('xf-1', who)).toEqual({ subjectId: 's-zhang', erased: true, redacted: false });
      expect(await petitionerOf('xf-2', who)).toEqual({ subjectId: 's-zhang', erased: true, redacted: false });
    }
    expect(await petitionerOf('xf-3', 'inspector')).toMatchObject({ erased: false, name: LI.name });
    expect(await petitionerReads()).toHaveLength(readsBefore + 1); // only the read of xf-3 disclosed anything
    const reused = await petitionTask('xf-5', ZHANG);
    expect([reused.status, reused.body.code]).toEqual([422, 'SUBJECT_ERASED']);
  });

  it('the history still verifies: cli verify exits 0, the task’s evidence bundle verifies offline and shows only ciphertext, and so do audit reads', async () => {
    const verify = cli(['verify'], cliEnv);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    expect(ok(await api.post('/audit/verifications', 'inspector', {})).body).toMatchObject({ ok: true });

    const bundle = JSON.stringify(ok(await api.post('/audit/exports', 'inspector', { taskIds: ['xf-1'] })).body);
    expect(bundle).toContain('"subjectId":"s-zhang"');
    for (const secret of [ZHANG.name, ZHANG.idNumber, ZHANG.phone]) expect(bundle).not.toContain(secret);
    const file = join(dir, 'xf-1.bundle.json');
    writeFileSync(file, bundle);
    const checked = cli(['verify-bundle', file]);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true });

    const stream = ok(await api.get('/audit/streams/supervision.task-xf-1', 'inspector')).body.events as { data: { petitioner?: { ciphertext: { name: string } } } }[];
    expect(stream[0]?.data.petitioner?.ciphertext.name).toMatch(/^v1\./);
    const state = ok(await api.get('/audit/tasks/xf-1/state', 'inspector')).body as { petitioner: { subjectId: string; ciphertext: { name: string } } };
    expect(state.petitioner).toMatchObject({ subjectId: 's-zhang', ciphertext: { name: expect.stringMatching(/^v1\./) } });
  });

  it('answered every request as the OpenAPI document describes', () => {
    expect(contract.violations).toEqual([]);
  });
});
