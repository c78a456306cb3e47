import { ApiHarness, ok, type Reply } from './api-harness';
import { OpenApiContract } from './openapi';

const DAY = 86_400_000;

export interface Claims {
  personId: string;
  name: string;
  unitId?: string;
  roles: string[];
}

/** Who the audit journeys act as, by token name: an admin, the office, Chuanshan's unit lead, an inspector. */
export const AUDIT_ACTORS: Readonly<Record<string, Claims>> = {
  admin: { personId: 'p-admin', name: '管理员', roles: ['admin'] },
  office: { personId: 'p-wf', name: '联席办 王芳', roles: ['office'] },
  cs: { personId: 'p-lw', name: '船山区 刘伟', unitId: 'chuanshan', roles: ['unit', 'unit_lead'] },
  inspector: { personId: 'p-jj', name: '纪检 周', roles: ['inspector'] },
};

/** An api on its own database, every reply checked against /docs-json, with a dev token for each actor. */
export async function startCheckedApi(prefix: string, env: Record<string, string> = {}, actors: Readonly<Record<string, Claims>> = AUDIT_ACTORS): Promise<{ api: ApiHarness; contract: OpenApiContract }> {
  const api = await ApiHarness.start(prefix, env);
  const contract = await OpenApiContract.load(api);
  api.onReply = (method, path, reply) => contract.check(method, path, reply);
  for (const [name, claims] of Object.entries(actors)) await api.as(name, claims);
  return { api, contract };
}

/** 船山区, the lead unit of the audit journeys, registered by the admin. */
export async function registerChuanshan(api: ApiHarness): Promise<void> {
  ok(await api.post('/units', 'admin', { id: 'chuanshan', name: '船山区', kind: 'district' }), 201);
}

/** A task the province hands down (省交办) to Chuanshan, reporting weekly, due in 20 days unless told. */
export function issueProvincialTask(api: ApiHarness, id: string, description: string, dueAt = new Date(Date.now() + 20 * DAY).toISOString()): Promise<Reply> {
  return api.post('/tasks', 'office', { id, title: `任务 ${id}`, description, source: { kind: 'upper_level', ref: '省交办' }, leadUnitId: 'chuanshan', coUnitIds: [], dueAt, reportEveryDays: 7 });
}

/** An events row as stored (position is a bigint, so text). */
export interface StoredRow {
  event_id: string;
  position: string;
  type: string;
  data: unknown;
}

/** A stream's events as stored, in stream order. */
export async function storedEvents(api: ApiHarness, streamId: string): Promise<StoredRow[]> {
  return (await api.sql.query<StoredRow>('SELECT event_id, position, type, data FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId])).rows;
}

/** As a superuser with the append-only triggers off: what an insider with database access could do. */
export async function tamper(api: ApiHarness, sql: string, params: unknown[] = []): Promise<void> {
  await api.sql.query('SET session_replication_role = replica');
  try {
    await api.sql.query(sql, params);
  } finally {
    await api.sql.query('RESET session_replication_role');
  }
}
