import type { ComplianceView, ControlTargetView, MeetingView, OfficeBoardRow, Page, TaskView, UnitView } from '@app/projections';
import type { Role } from '@app/shared-kernel';
import type { CommandReply, DemoClient } from './demo-client';

/**
 * The demo of DOMAIN.md §9, played through the REST api with real commands: a city's joint meeting
 * on petition work, its member units and their leaders, the 2nd plenary meeting of the year with
 * its decisions (dissent on record), the tasks for the repeat group visits, and the 14 key cases
 * the upper level handed down (11 closed, 3 open).
 *
 * Time is never faked. Every event is recorded at the moment the demo runs, so the ledger's record
 * times stay true and a server started afterwards on the real clock finds nothing "in the future".
 * Only business times that a user may legitimately state for the past are in the past: when someone
 * took a post and when the meeting was held. Deadlines that are "near" are simply close to now
 * (they turn yellow as soon as the deadline scheduler runs); the one deadline that is "past" is the
 * sign-for window of an urgent case, made short enough to run out while the demo waits for it.
 * Likewise the sensitive period's reporting window starts today, with its daily cut-off a minute
 * or so ahead, so that reports are seen filed, late and missed.
 */

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;

/** How long the urgent case gives for sign-for: long enough to read as a deadline, short enough to wait for. */
export const URGENT_SIGN_FOR_SECONDS = 15;
/** Created last: when it exists the whole scenario ran (an interrupted run is told apart). */
export const DEMO_MARKER_TASK = 'sj-13';
/** Unit whose presence says the demo (or something like it) was loaded. */
export const DEMO_MARKER_UNIT = 'chuanshan';

export interface DemoOptions {
  /** The api's DUE_SOON_DAYS, to know which lights must turn yellow (default 3). */
  dueSoonDays?: number;
  /** How long to wait for the server's deadline scheduler (system clock; it runs every 15 s). */
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DemoTokens {
  office: string;
  officeLead: string;
  unitLead: string;
  inspector: string;
}

export interface DemoSummary {
  outcome: 'loaded' | 'already_loaded';
  units: UnitView[];
  meeting: MeetingView;
  /** The demo's tasks (other data in the same database is left out). */
  tasks: TaskView[];
  board: OfficeBoardRow[];
  /** Open tasks whose sign-for deadline passed with a unit still not signed for. */
  signForOverdue: string[];
  /** False when the scheduler had not recorded the expected deadline events within the wait. */
  settled: boolean;
  /** The yearly 非访 targets of the districts and zones, with their use and warnings. */
  controlTargets: ControlTargetView[];
  /** Compliance with the sensitive period's daily reports (null if the window is missing). */
  sensitivePeriod: ComplianceView | null;
  tokens: DemoTokens;
}

/** The database holds part of the demo, or other data under its ids: nothing is recorded. */
export class DemoConflictError extends Error {
  override readonly name = 'DemoConflictError';
}

// ── who is who ──────────────────────────────────────────────────────────────────────────────────

type UnitKind = 'district' | 'county' | 'zone' | 'department';
interface Person {
  name: string;
  title: string;
}
interface DemoUnit {
  id: string;
  name: string;
  kind: UnitKind;
  leader: Person; // 主要负责人
  portfolio: Person; // 分管负责人
  handler: Person; // 承办人
}

const p = (name: string, title: string): Person => ({ name, title });
const UNITS: readonly DemoUnit[] = [
  { id: 'chuanshan', name: '船山区', kind: 'district', leader: p('周建华', '区委书记'), portfolio: p('陈强', '副区长'), handler: p('刘伟', '区信访局') },
  { id: 'hedong', name: '河东新区', kind: 'zone', leader: p('吴海峰', '党工委书记'), portfolio: p('何静', '管委会副主任'), handler: p('赵磊', '群众工作部') },
  { id: 'pengxi', name: '蓬溪县', kind: 'county', leader: p('郑国栋', '县委书记'), portfolio: p('孙丽', '副县长'), handler: p('钱进', '县信访局') },
  { id: 'jingkai', name: '经开区', kind: 'zone', leader: p('林涛', '党工委书记'), portfolio: p('黄敏', '管委会副主任'), handler: p('马超', '社会事务局') },
  { id: 'anju', name: '安居区', kind: 'district', leader: p('罗斌', '区委书记'), portfolio: p('谢芳', '副区长'), handler: p('韩冰', '区信访局') },
  { id: 'zhujian', name: '住建局', kind: 'department', leader: p('唐文', '局长'), portfolio: p('许亮', '副局长'), handler: p('邓超', '房地产市场监管科') },
  { id: 'ziranziyuan', name: '自然资源和规划局', kind: 'department', leader: p('曹宇', '局长'), portfolio: p('彭丽', '副局长'), handler: p('曾凡', '不动产登记中心') },
  { id: 'renshe', name: '人社局', kind: 'department', leader: p('蒋平', '局长'), portfolio: p('蔡琳', '副局长'), handler: p('余波', '劳动保障监察支队') },
  { id: 'gongan', name: '公安局', kind: 'department', leader: p('杜刚', '局长'), portfolio: p('叶青', '副局长'), handler: p('程浩', '经侦支队') },
  { id: 'jinrong', name: '金融工作局', kind: 'department', leader: p('魏东', '局长'), portfolio: p('苏婷', '副局长'), handler: p('潘阳', '地方金融监管科') },
  { id: 'shichang', name: '市场监管局', kind: 'department', leader: p('田野', '局长'), portfolio: p('姜雪', '副局长'), handler: p('范晨', '消费者权益保护科') },
];
/** 蓬溪县's primary leader changed jobs: the outgoing term stays on record (问责 follows a person). */
const PENGXI_FORMER_LEADER = p('冯志刚', '原县委书记');

const leaderId = (unitId: string): string => `${unitId}-leader`;
const portfolioId = (unitId: string): string => `${unitId}-portfolio`;
const handlerId = (unitId: string): string => `${unitId}-handler`;
function unitOf(unitId: string): DemoUnit {
  const unit = UNITS.find((u) => u.id === unitId);
  if (!unit) throw new Error(`demo: unknown unit ${unitId}`);
  return unit;
}

/** The city's leaders and the office (联席办); none belongs to a member unit. */
const CONVENOR = { personId: 'city-deputy-secretary', name: '杨志远', title: '市委副书记、联席会议召集人' };
const POLITICS_LAW = { personId: 'city-politics-law', name: '黄海', title: '市委政法委书记、副召集人' };
const VICE_MAYOR = { personId: 'city-vice-mayor', name: '李红', title: '副市长、副召集人' };
const OFFICE_DIRECTOR = { personId: 'office-director', name: '赵军', title: '联席办主任（市信访局局长）' };
const OFFICE_STAFF = { personId: 'office-staff', name: '王芳', title: '联席办督查督办科' };
const INSPECTOR = { personId: 'inspector', name: '周敏', title: '市纪委监委' };

const OFFICE = OFFICE_STAFF.personId;
const OFFICE_LEAD = OFFICE_DIRECTOR.personId;

// ── time ────────────────────────────────────────────────────────────────────────────────────────

/** `hour`:00 Beijing time on the Beijing calendar day `days` from `from`. */
function beijingAt(from: number, days: number, hour: number): string {
  const d = new Date(from + BEIJING);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, hour) - BEIJING).toISOString();
}
const beijingYear = (at: number): number => new Date(at + BEIJING).getUTCFullYear();

// ── the cases ───────────────────────────────────────────────────────────────────────────────────

type Twist = 'extension' | 'send_back' | 'escalated' | 'reassigned';
interface UpperLevelCase {
  id: string;
  title: string;
  description: string;
  lead: string;
  co: string[];
  /** Deadline: 18:00 Beijing time this many days from today. */
  dueInDays: number;
  progress: string;
  completion?: string;
  twist?: Twist;
  rating?: number;
}

/** The 14 key cases handed down by the upper level (省交办): the first 11 are walked to 销号. */
const UPPER_LEVEL: readonly UpperLevelCase[] = [
  { id: 'sj-01', title: '船山区某花园小区烂尾楼业主集体访', description: '开发商资金链断裂，项目停工两年，300余户业主多次集体到省上访。', lead: 'chuanshan', co: ['zhujian'], dueInDays: 40, progress: '成立工作专班，引入国企纾困资金，项目已复工。', completion: '项目主体完工并分批交房，业主代表签字认可。', rating: 5 },
  { id: 'sj-02', title: '河东新区安置房不动产权证久拖未办', description: '安置小区交房五年未办理不动产权证，群众反复信访。', lead: 'hedong', co: ['ziranziyuan'], dueInDays: 30, progress: '已完成测绘和权籍调查，正在补缴土地出让金。', completion: '已为1,204户办理不动产权证并送证上门。', twist: 'extension' },
  { id: 'sj-03', title: '蓬溪县建筑工地农民工工资拖欠', description: '某建筑工地拖欠86名农民工工资约420万元。', lead: 'pengxi', co: ['renshe'], dueInDays: 35, progress: '已冻结项目工资专户，责令总包单位垫付。', completion: '欠薪已全部兑付到人，涉事企业列入失信名单。', rating: 4 },
  { id: 'sj-04', title: '经开区某电子企业停产欠薪', description: '企业停产，拖欠212名职工三个月工资及社保。', lead: 'jingkai', co: ['renshe'], dueInDays: 45, progress: '已申请启用欠薪保障金，协调破产管理人清算。', completion: '工资已通过欠薪保障金先行垫付，社保补缴完毕。', twist: 'send_back' },
  { id: 'sj-05', title: '安居区征地拆迁补偿标准争议', description: '村民认为征地补偿低于同区域标准，多次集体访。', lead: 'anju', co: ['ziranziyuan'], dueInDays: 50, progress: '已逐户复核补偿面积，召开听证会。', completion: '按新标准补差到户，签订补充协议98份。', twist: 'escalated' },
  { id: 'sj-06', title: '某投资理财公司非法集资案投资人集体访', description: '涉案投资人1,600余人，要求追赃挽损。', lead: 'gongan', co: ['jinrong', 'shichang'], dueInDays: 60, progress: '已立案侦查，查封涉案资产。', completion: '首批追缴资金已按比例清退，向投资人公开通报进展。', rating: 4 },
  { id: 'sj-07', title: '连锁健身房预付卡“跑路”投诉', description: '经营者关店失联，800余名会员预付款无法退还。', lead: 'shichang', co: ['gongan'], dueInDays: 30, progress: '已约谈经营者，督促承接企业接收会员。', completion: '会员权益由承接企业延续或退款，投诉全部办结。' },
  { id: 'sj-08', title: '老旧小区物业弃管引发重复访', description: '物业公司撤场后小区无人管理，居民反映供水、垃圾清运问题。', lead: 'chuanshan', co: [], dueInDays: 40, progress: '已选聘临时物业，恢复供水和垃圾清运。', completion: '业主大会选聘新物业，服务合同已备案。', twist: 'reassigned' },
  { id: 'sj-09', title: '退休人员养老待遇核定争议', description: '企业退休人员对视同缴费年限认定有异议。', lead: 'renshe', co: [], dueInDays: 30, progress: '已调取原始档案重新核定。', completion: '重新核定待遇并补发差额，当事人息诉罢访。', rating: 5 },
  { id: 'sj-10', title: '历史遗留项目不动产登记难', description: '某商住项目因规划变更未验收，业主无法登记。', lead: 'ziranziyuan', co: ['hedong'], dueInDays: 45, progress: '已完成规划核实，启动分类处置。', completion: '项目完成竣工验收，首批业主取得不动产权证。' },
  { id: 'sj-11', title: '河东新区小区物业费上涨纠纷', description: '物业公司单方面上调物业费，业主集体投诉。', lead: 'hedong', co: ['zhujian', 'shichang'], dueInDays: 30, progress: '已组织物业与业主委员会协商。', completion: '物业费恢复原标准，价格违法行为已立案处罚。', rating: 3 },
  { id: 'sj-12', title: '船山区某商业综合体烂尾引发群体访', description: '项目烂尾三年，商铺购买人多次聚集，省联席办挂牌督办。', lead: 'chuanshan', co: ['zhujian', 'jinrong'], dueInDays: 2, progress: '已启动司法重整，正在招募重整投资人。' },
  { id: 'sj-13', title: '经开区投融资平台投资人赴省集体访', description: '平台逾期兑付，投资人赴省集体访；紧急交办，须即时签收。', lead: 'jingkai', co: ['gongan', 'jinrong'], dueInDays: 10, progress: '' },
  { id: 'sj-14', title: '安居区回迁房不动产权证办理', description: '回迁安置房因土地性质问题无法办证。', lead: 'anju', co: ['ziranziyuan'], dueInDays: 5, progress: '土地性质变更已报省厅审批，尚未批复。' },
];

interface GroupVisitTask {
  id: string;
  title: string;
  description: string;
  lead: string;
  co: string[];
  dueInDays: number;
  caseLeader: { personId: string; name: string };
  plan: string;
  /** Units that have signed for it so far (the lead first). */
  signed: string[];
  progress: { unit: string; summary: string; percent?: number }[];
}

/** The repeat group visits (重复群体访): each a task of a meeting decision, with a city case leader (包案领导). */
const GROUP_VISITS = {
  lanwei: {
    id: 'lanwei-chuanshan',
    title: '烂尾楼问题群体重复访化解',
    description: '船山区3个停工项目业主反复集体访，要求复工交房。',
    lead: 'chuanshan',
    co: ['zhujian', 'ziranziyuan', 'jinrong'],
    dueInDays: 2,
    caseLeader: { personId: CONVENOR.personId, name: CONVENOR.name },
    plan: '一楼一策：资产摸底、引入纾困资金、分期复工，每周向业主代表通报。',
    signed: ['chuanshan', 'zhujian', 'ziranziyuan', 'jinrong'],
    progress: [
      { unit: 'chuanshan', summary: '2个项目已复工，第3个项目正在引入投资人。', percent: 40 },
      { unit: 'zhujian', summary: '已为复工项目开通施工许可绿色通道。' },
    ],
  },
  chanquan: {
    id: 'chanquan-hedong',
    title: '不动产权证“办证难”群体访化解',
    description: '河东新区多个小区交房多年未办证，业主集体访。',
    lead: 'hedong',
    co: ['ziranziyuan', 'zhujian'],
    dueInDays: 30,
    caseLeader: { personId: VICE_MAYOR.personId, name: VICE_MAYOR.name },
    plan: '容缺办理、分类处置：先为已交房业主办证，开发企业欠缴税费另案追缴。',
    signed: ['hedong', 'ziranziyuan'],
    progress: [{ unit: 'hedong', summary: '已梳理问题楼盘12个，完成分类处置方案。', percent: 30 }],
  },
  wuye: {
    id: 'wuye-pengxi',
    title: '物业管理纠纷群体访化解',
    description: '蓬溪县多个小区物业服务质量差、收费不透明，居民集体访。',
    lead: 'pengxi',
    co: ['zhujian', 'shichang'],
    dueInDays: 1,
    caseLeader: { personId: VICE_MAYOR.personId, name: VICE_MAYOR.name },
    plan: '逐小区约谈物业企业，指导成立业主委员会，公开收支。',
    signed: ['pengxi', 'zhujian'],
    progress: [{ unit: 'pengxi', summary: '已约谈物业企业9家，3个小区成立业主委员会。', percent: 60 }],
  },
  jizi: {
    id: 'jizi-jingkai',
    title: '非法集资（投融资）群体访化解',
    description: '经开区投融资类非法集资案件投资人反复集体访，要求追赃挽损。',
    lead: 'jingkai',
    co: ['gongan', 'jinrong', 'shichang'],
    dueInDays: 20,
    caseLeader: { personId: POLITICS_LAW.personId, name: POLITICS_LAW.name },
    plan: '打击、追赃、维稳同步推进：专班接访，定期通报案件进展。',
    signed: ['jingkai', 'gongan', 'jinrong', 'shichang'],
    progress: [
      { unit: 'jingkai', summary: '专班已接待投资人代表4批次，建立联络群。', percent: 25 },
      { unit: 'gongan', summary: '已立案侦查，冻结涉案账户17个。' },
    ],
  },
} satisfies Record<string, GroupVisitTask>;

/** Every task the demo creates. */
export const DEMO_TASK_IDS: readonly string[] = [...Object.values(GROUP_VISITS).map((t) => t.id), ...UPPER_LEVEL.map((c) => c.id)];

// ── the sensitive period and the control targets ────────────────────────────────────────────────

/** The reporting window of the sensitive period (year-end and 两会): daily nil reports from the five districts and zones. */
export const SENSITIVE_PERIOD_WINDOW = 'sensitive-period';
const SENSITIVE_PERIOD_DAYS = 30;
const DISTRICTS = ['chuanshan', 'hedong', 'pengxi', 'jingkai', 'anju'];
/** Today's reports: these file in time; 经开区 files after the cut-off; 河东新区 not at all. */
const FILE_IN_TIME = ['chuanshan', 'pengxi', 'anju'];
const FILES_LATE = 'jingkai';
/** The daily cut-off is the next whole minute at least this far ahead, so that it passes during the demo. */
const CUTOFF_LEAD_SECONDS = 20;

/**
 * 非访 (非正常上访) is counted as `beijing_visit`: the yearly 非访 targets a city is held to count
 * petitioning in Beijing outside the designated reception offices (进京非访); `other` would mix
 * them with unrelated incidents, and `province_visit` is the provincial capital.
 */
export const NON_NORMAL_PETITION_KIND = 'beijing_visit';
/** DOMAIN.md §9: yearly limits, and the persons (人次) of each incident that used them. */
const CONTROL_TARGETS: readonly { unitId: string; limit: number; incidents: number[] }[] = [
  { unitId: 'chuanshan', limit: 8, incidents: [3, 5] },
  { unitId: 'hedong', limit: 3, incidents: [2, 4] },
  { unitId: 'pengxi', limit: 8, incidents: [4] },
  { unitId: 'jingkai', limit: 3, incidents: [1] },
];

// ── the run ─────────────────────────────────────────────────────────────────────────────────────

const CLOCK_RUNS = new Set(['issued', 'acknowledged', 'in_progress', 'extension_pending']);
const OPEN = new Set([...CLOCK_RUNS, 'objected', 'under_review', 'pending_signoff']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Loads the demo through `client` and answers what it loaded; when unit `chuanshan` and the last
 * task of the demo already exist it records nothing and answers the same summary. A database
 * holding only part of it (an interrupted run, or other data using the same ids) is refused.
 */
export async function runDemoScenario(client: DemoClient, options: DemoOptions = {}): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const run = new DemoRun(client, options.dueSoonDays ?? 3, options.settleTimeoutMs ?? 60_000, log);
  await client.catchUp();
  const tokens = await run.login();
  if (await client.find(`/units/${DEMO_MARKER_UNIT}`, OFFICE)) {
    if (!(await client.find(`/tasks/${DEMO_MARKER_TASK}`, OFFICE))) {
      throw new DemoConflictError(
        `Unit ${DEMO_MARKER_UNIT} exists but the demo's task ${DEMO_MARKER_TASK} does not: an earlier demo run was interrupted, or this database holds other data. ` +
          'Events are never deleted, so the demo will not write over it: use an empty DATA_DIR (or database) and run it again.',
      );
    }
    log('The demo is already loaded: nothing recorded.');
    return run.summary('already_loaded', tokens, true);
  }
  await run.units();
  await run.sensitivePeriod();
  await run.controlTargets();
  await run.meeting();
  await run.groupVisits();
  await run.upperLevel();
  const settled = await run.settle();
  await run.bulletin();
  return run.summary('loaded', tokens, settled);
}

class DemoRun {
  /** Manual-clock servers (tests, CLOCK_MODE=manual) are moved explicitly; others keep real time. */
  private manualClock = false;
  private clockNow = 0;
  private urgentSignForDueAt = 0;
  /** The first day of the sensitive period (today, Beijing) and its cut-off. */
  private reportDay = '';
  private cutoffAt = 0;

  constructor(
    private readonly client: DemoClient,
    private readonly dueSoonDays: number,
    private readonly settleTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** The server's now: a manual clock stands still until moved. */
  private now(): number {
    return this.manualClock ? this.clockNow : Date.now();
  }

  private dueAt(days: number): string {
    return beijingAt(this.now(), days, 18);
  }

  async login(): Promise<DemoTokens> {
    const c = this.client;
    const office = await c.login({ personId: OFFICE_STAFF.personId, name: `联席办 ${OFFICE_STAFF.name}`, roles: ['office'] });
    const officeLead = await c.login({ personId: OFFICE_DIRECTOR.personId, name: `联席办主任 ${OFFICE_DIRECTOR.name}`, roles: ['office', 'office_lead'] });
    const inspector = await c.login({ personId: INSPECTOR.personId, name: `${INSPECTOR.title} ${INSPECTOR.name}`, roles: ['inspector'] });
    let unitLead = '';
    for (const u of UNITS) {
      const lead = await c.login({ personId: portfolioId(u.id), name: `${u.name} ${u.portfolio.name}`, unitId: u.id, roles: ['unit', 'unit_lead'] });
      await c.login({ personId: handlerId(u.id), name: `${u.name} ${u.handler.name}`, unitId: u.id, roles: ['unit'] });
      if (u.id === DEMO_MARKER_UNIT) unitLead = lead;
    }
    const clock = await c.find<{ now: string }>('/dev/clock', OFFICE);
    this.manualClock = clock !== null;
    this.clockNow = clock === null ? 0 : Date.parse(clock.now);
    return { office, officeLead, unitLead, inspector };
  }

  /** 11 member units, each with its primary leader, portfolio leader and handler in post. */
  async units(): Promise<void> {
    const c = this.client;
    const daysAgo = (days: number): string => beijingAt(this.now(), -days, 9);
    for (const [i, u] of UNITS.entries()) {
      await c.post('/units', OFFICE, { id: u.id, name: u.name, kind: u.kind });
      if (u.id === 'pengxi') {
        await c.post(`/units/${u.id}/posts`, OFFICE, { personId: 'pengxi-former-leader', name: PENGXI_FORMER_LEADER.name, post: 'primary_leader', from: daysAgo(1400) });
        await c.post(`/units/${u.id}/posts/pengxi-former-leader/end`, OFFICE, { at: daysAgo(75), reason: '调任市发展改革委主任' });
        await c.post(`/units/${u.id}/posts`, OFFICE, { personId: leaderId(u.id), name: u.leader.name, post: 'primary_leader', from: daysAgo(75) });
      } else {
        await c.post(`/units/${u.id}/posts`, OFFICE, { personId: leaderId(u.id), name: u.leader.name, post: 'primary_leader', from: daysAgo(900 - i * 37) });
      }
      await c.post(`/units/${u.id}/posts`, OFFICE, { personId: portfolioId(u.id), name: u.portfolio.name, post: 'portfolio_leader', from: daysAgo(600 - i * 23) });
      await c.post(`/units/${u.id}/posts`, OFFICE, { personId: handlerId(u.id), name: u.handler.name, post: 'handler', from: daysAgo(400 - i * 19) });
    }
    this.log(`Registered ${UNITS.length} member units with their primary leaders, portfolio leaders and handlers (蓬溪县's leader changed jobs 75 days ago).`);
  }

  /** Moves a manual clock to `at`; on the real clock, waits for it. */
  private async reach(at: number): Promise<void> {
    if (this.manualClock) {
      const moved = await this.client.post<{ now: string }>('/dev/clock', OFFICE, { set: new Date(Math.max(this.clockNow, at)).toISOString() });
      this.clockNow = Date.parse(moved.now);
    } else {
      await sleep(Math.max(0, at - Date.now()));
    }
  }

  /**
   * The sensitive period (year-end and 两会): a window over the five districts and zones for
   * SENSITIVE_PERIOD_DAYS days from today, since a window may not start on a day whose cut-off has
   * passed. Its cut-off is set a minute or so ahead (see CUTOFF_LEAD_SECONDS); three units file
   * today's nil report now, in time. In the last minutes of a Beijing day it waits for the next.
   */
  async sensitivePeriod(): Promise<void> {
    const cutoffOf = (now: number): number => Math.ceil((now + CUTOFF_LEAD_SECONDS * 1000) / 60_000) * 60_000;
    const dayOf = (at: number): string => new Date(at + BEIJING).toISOString().slice(0, 10);
    if (dayOf(cutoffOf(this.now())) !== dayOf(this.now())) await this.reach(Date.parse(beijingAt(this.now(), 1, 0)) + 1000);
    this.cutoffAt = cutoffOf(this.now());
    this.reportDay = dayOf(this.now());
    const cutoff = new Date(this.cutoffAt + BEIJING).toISOString().slice(11, 16);
    const to = new Date(Date.parse(this.reportDay) + (SENSITIVE_PERIOD_DAYS - 1) * DAY).toISOString().slice(0, 10);
    const name = `岁末年初及全国两会敏感时期信访稳定零报告（${beijingYear(this.now())}）`;
    await this.client.post('/reporting-windows', OFFICE, { id: SENSITIVE_PERIOD_WINDOW, name, from: this.reportDay, to, cutoff, unitIds: DISTRICTS });
    for (const unitId of FILE_IN_TIME) await this.client.post(`/reporting-windows/${SENSITIVE_PERIOD_WINDOW}/daily-reports`, handlerId(unitId), { date: this.reportDay, nil: true });
    this.log(`Opened the sensitive period's daily reporting (${this.reportDay} to ${to}, cut-off ${cutoff} Beijing time) for the 5 districts and zones; 3 filed today's nil report.`);
  }

  /**
   * The yearly 非访 targets of DOMAIN.md §9, and incidents using them, spread over the year so far
   * (before today, except on 1 January) and each reported two hours after it occurred.
   */
  async controlTargets(): Promise<void> {
    const now = this.now();
    const year = beijingYear(now);
    const yearStart = Date.parse(`${year}-01-01T00:00:00+08:00`);
    const todayStart = Date.parse(beijingAt(now, 0, 0));
    const span = todayStart > yearStart ? todayStart - yearStart : now - yearStart;
    const incidents = CONTROL_TARGETS.flatMap((t) => t.incidents.map((persons) => ({ unitId: t.unitId, persons })));
    for (const t of CONTROL_TARGETS) await this.client.post('/control-targets', OFFICE, { unitId: t.unitId, metric: NON_NORMAL_PETITION_KIND, year, limit: t.limit });
    for (const [i, incident] of incidents.entries()) {
      const occurredAt = yearStart + Math.floor((span * (i + 1)) / (incidents.length + 1));
      const unit = unitOf(incident.unitId);
      await this.client.post('/incidents', OFFICE, {
        id: `feifang-${year}-${i + 1}`,
        unitId: incident.unitId,
        kind: NON_NORMAL_PETITION_KIND,
        persons: incident.persons,
        occurredAt: new Date(occurredAt).toISOString(),
        reportedAt: new Date(Math.min(occurredAt + 2 * 3_600_000, now)).toISOString(),
        summary: `${unit.name}${incident.persons}人进京非正常上访，已劝返`,
      });
    }
    this.log(`Set the yearly 非访 control targets of 4 districts and zones and recorded ${incidents.length} incidents against them (河东新区: 6 of 3).`);
  }

  private meetingId(): string {
    return `plenary-${beijingYear(this.now())}-2`;
  }

  /**
   * The 2nd plenary of the year, held two days ago (minutes are recorded after the fact): the
   * deputy party secretary convenes, the office director reports, decisions name who decided,
   * who took part and who dissented; three of them assign the group-visit tasks.
   */
  async meeting(): Promise<void> {
    const c = this.client;
    const year = beijingYear(this.now());
    const meetingId = this.meetingId();
    const leaders = UNITS.map((u) => ({ personId: leaderId(u.id), name: `${u.leader.name}（${u.name}${u.leader.title}）`, unitId: u.id }));
    const city = [POLITICS_LAW, VICE_MAYOR, OFFICE_DIRECTOR].map((x) => ({ personId: x.personId, name: `${x.name}（${x.title}）` }));
    await c.post('/meetings', OFFICE, {
      id: meetingId,
      title: `${year}年信访工作联席会议第二次全体会议`,
      kind: 'plenary',
      convenorId: CONVENOR.personId,
      convenorName: `${CONVENOR.name}（${CONVENOR.title}）`,
      heldAt: beijingAt(this.now(), -2, 9),
      attendees: [...city, ...leaders],
    });
    const everyone = [CONVENOR.personId, ...city.map((x) => x.personId), ...leaders.map((x) => x.personId)];
    const others = (deciders: string[]): string[] => everyone.filter((id) => !deciders.includes(id));
    const spec = (t: GroupVisitTask) => ({ id: t.id, title: t.title, description: t.description, leadUnitId: t.lead, coUnitIds: t.co, dueAt: this.dueAt(t.dueInDays), reportEveryDays: 7, caseLeader: t.caseLeader, plan: t.plan });
    const decide = (decisionId: string, text: string, deciders: string[], dissents: { personId: string; opinion: string }[], tasks: GroupVisitTask[]) =>
      c.post(`/meetings/${meetingId}/decisions`, OFFICE, { decisionId, text, deciders, participants: others(deciders), dissents, tasks: tasks.map(spec) });
    await decide('d1-situation', `听取联席办主任赵军关于全市信访形势和省交办14件重点信访事项办理情况的汇报：已办结11件，其余3件限期办结，逾期的实行挂牌督办。`, [CONVENOR.personId], [], []);
    await decide('d2-lanwei-wuye', '烂尾楼、物业管理群体重复访实行市级领导包案，一案一专班一方案一时限，限期化解。', [CONVENOR.personId, VICE_MAYOR.personId], [], [GROUP_VISITS.lanwei, GROUP_VISITS.wuye]);
    await decide(
      'd3-certificates',
      '不动产权证“办证难”历史遗留问题实行“容缺办理、分类处置”，先行为已交房业主办证。',
      [CONVENOR.personId, VICE_MAYOR.personId],
      [{ personId: leaderId('ziranziyuan'), opinion: '部分项目未完善用地手续，“先办证后补手续”存在合规风险，建议先行清理、分类报批后再办证。' }],
      [GROUP_VISITS.chanquan],
    );
    await decide(
      'd4-funding',
      '非法集资、投融资平台群体访坚持打击、追赃、维稳同步推进，成立工作专班。',
      [CONVENOR.personId, POLITICS_LAW.personId],
      [{ personId: leaderId('jinrong'), opinion: '建议先完成风险排查和资产摸底再公开处置方案，避免投资人预期过高。' }],
      [GROUP_VISITS.jizi],
    );
    this.log(`Recorded meeting ${meetingId} with 4 decisions (2 dissents on record) and the 4 group-visit tasks they assign.`);
  }

  private signFor(taskId: string, unitId: string): Promise<CommandReply> {
    return this.client.post(`/tasks/${taskId}/sign-for`, handlerId(unitId));
  }

  private report(taskId: string, unitId: string, summary: string, percent?: number): Promise<CommandReply> {
    return this.client.post(`/tasks/${taskId}/progress-reports`, handlerId(unitId), percent === undefined ? { summary } : { summary, percent });
  }

  /** The units sign for the group-visit tasks and report; the office chases the nearest one. */
  async groupVisits(): Promise<void> {
    const c = this.client;
    for (const t of Object.values(GROUP_VISITS) as GroupVisitTask[]) {
      for (const unitId of t.signed) await this.signFor(t.id, unitId);
      for (const r of t.progress) await this.report(t.id, r.unit, r.summary, r.percent);
    }
    const lanwei = GROUP_VISITS.lanwei.id;
    await c.post(`/tasks/${lanwei}/reminders`, OFFICE, { message: '距办结期限不足3天，请加快推进并每日报送进展。' });
    await c.post(`/tasks/${lanwei}/escalations`, OFFICE, { level: 'blue', reason: '业主反映复工进度慢，发蓝色督办单。' });
    this.log('Units signed for the group-visit tasks and reported progress; the office sent a reminder and a blue 督办单 on the 烂尾楼 task.');
  }

  /** The 14 key cases: 11 walked from issue to sign-off (销号), 3 left open; the urgent one last. */
  async upperLevel(): Promise<void> {
    const ref = (n: number): string => `省联席办〔${beijingYear(this.now())}〕14号 交办第${n}件`;
    for (const [i, k] of UPPER_LEVEL.entries()) {
      if (k.id === DEMO_MARKER_TASK) continue;
      await this.issue(k, ref(i + 1));
      if (i < 11) await this.close(k);
      else await this.leaveOpen(k);
    }
    const urgent = UPPER_LEVEL.findIndex((k) => k.id === DEMO_MARKER_TASK);
    const k = UPPER_LEVEL[urgent];
    if (!k) throw new Error('demo: the urgent case is missing');
    this.urgentSignForDueAt = this.now() + URGENT_SIGN_FOR_SECONDS * 1000;
    await this.issue(k, ref(urgent + 1), new Date(this.urgentSignForDueAt).toISOString());
    this.log(`Issued the 14 cases handed down by the upper level: 11 closed (one reassigned after an objection, one extended, one sent back once, one escalated), 3 open; ${k.id} is urgent and must be signed for within ${URGENT_SIGN_FOR_SECONDS} s.`);
  }

  private async issue(k: UpperLevelCase, ref: string, signForDueAt?: string): Promise<void> {
    const lead = unitOf(k.lead);
    await this.client.post('/tasks', OFFICE, {
      id: k.id,
      title: k.title,
      description: k.description,
      source: { kind: 'upper_level', ref },
      leadUnitId: k.lead,
      coUnitIds: k.co,
      dueAt: this.dueAt(k.dueInDays),
      reportEveryDays: 7,
      // The reassigned case gets its case leader from the unit that ends up leading it: none at issue.
      ...(k.twist === 'reassigned' ? {} : { caseLeader: { personId: leaderId(lead.id), name: lead.leader.name } }),
      ...(signForDueAt === undefined ? {} : { signForDueAt }),
    });
  }

  private async close(k: UpperLevelCase): Promise<void> {
    const c = this.client;
    let lead = k.lead;
    if (k.twist === 'reassigned') {
      await c.post(`/tasks/${k.id}/objections`, handlerId(lead), { reason: '物业行业监管属住建部门职责，且该小区物业公司由住建局备案，建议改由住建局牵头。' });
      lead = 'zhujian';
      await c.post(`/tasks/${k.id}/objections/decision`, OFFICE, { uphold: true, reassignTo: lead, reason: '异议成立，改由住建局牵头办理。' });
    }
    await this.signFor(k.id, lead);
    for (const co of k.co) await this.signFor(k.id, co);
    await this.report(k.id, lead, k.progress, 50);
    const firstCo = k.co[0];
    if (firstCo !== undefined) await this.report(k.id, firstCo, `${unitOf(firstCo).name}已按职责配合办理。`);
    if (k.twist === 'escalated') {
      await c.post(`/tasks/${k.id}/reminders`, OFFICE, { message: '群众仍在集体访，请加快补偿复核进度。' });
      await c.post(`/tasks/${k.id}/escalations`, OFFICE, { level: 'blue', reason: '进展滞后，发蓝色督办单。' });
    }
    if (k.twist === 'extension') {
      await c.post(`/tasks/${k.id}/extension-requests`, portfolioId(lead), { reason: '土地出让金补缴须经市政府常务会审议，时间不可控。', proposedDueAt: this.dueAt(k.dueInDays + 30), progress: '测绘和权籍调查已完成，办证材料齐备。' });
      await c.post(`/tasks/${k.id}/extension-requests/decision`, OFFICE_LEAD, { approve: true, reason: '理由充分，同意延期30天。' });
    }
    const completion = k.completion ?? '已办结。';
    await c.post(`/tasks/${k.id}/completion-report`, portfolioId(lead), { summary: completion, evidence: '办结报告、当事人签字的息诉罢访承诺书' });
    if (k.twist === 'send_back') {
      await c.post(`/tasks/${k.id}/review`, OFFICE, { decision: 'send_back', reason: '未附职工签收的工资支付凭证，社保补缴情况未说明。' });
      await this.report(k.id, lead, '已补充工资支付凭证和社保补缴清单。', 95);
      await c.post(`/tasks/${k.id}/completion-report`, portfolioId(lead), { summary: completion, evidence: '工资支付凭证（212人签收）、社保补缴清单' });
    }
    await c.post(`/tasks/${k.id}/review`, OFFICE, { decision: 'accept', reason: '经电话回访核实，问题已解决。' });
    await c.post(`/tasks/${k.id}/signoff`, OFFICE_LEAD);
    if (k.rating !== undefined) await c.post(`/tasks/${k.id}/evaluation`, OFFICE, { rating: k.rating, comment: '回访当事人，对办理结果满意。' });
  }

  private async leaveOpen(k: UpperLevelCase): Promise<void> {
    const c = this.client;
    await this.signFor(k.id, k.lead);
    for (const co of k.co) await this.signFor(k.id, co);
    await this.report(k.id, k.lead, k.progress, 30);
    if (k.id === 'sj-12') {
      // The ladder (三色督办 → 挂牌督办): the office raises it, the office director lists it.
      await c.post(`/tasks/${k.id}/escalations`, OFFICE, { level: 'yellow', reason: '省联席办通报进展滞后，发黄色督办单。' });
      await c.post(`/tasks/${k.id}/escalations`, OFFICE, { level: 'red', reason: '商铺购买人再次聚集，发红色督办单。' });
      await c.post(`/tasks/${k.id}/escalations`, OFFICE_LEAD, { level: 'listed', reason: '联席会议决定挂牌督办，限期办结。' });
    }
    if (k.id === 'sj-14') {
      await c.post(`/tasks/${k.id}/extension-requests`, portfolioId(k.lead), { reason: '土地性质变更须省自然资源厅批复，预计一个月。', proposedDueAt: this.dueAt(k.dueInDays + 30), progress: '变更申请已上报省厅，材料齐全。' });
    }
  }

  /**
   * Waits until the deadline scheduler has recorded what came due: the urgent case's missed
   * sign-for, DeadlineApproaching (yellow) on every open task due within DUE_SOON_DAYS, and the
   * sensitive period's first cut-off (经开区 files just after it). A manual-clock server is moved
   * to just past the later of the sign-for deadline and the cut-off, which runs its checks at once;
   * a real-clock server's scheduler does it within 15 s of the deadline passing.
   */
  async settle(): Promise<boolean> {
    const c = this.client;
    // The sensitive period's first cut-off passes too: 经开区 then files late, 河东新区 stays missed.
    const lastDeadline = Math.max(this.urgentSignForDueAt, this.cutoffAt);
    if (this.manualClock) {
      const moved = await c.post<{ now: string }>('/dev/clock', OFFICE, { set: new Date(Math.max(this.clockNow, lastDeadline + 1000)).toISOString() });
      this.clockNow = Date.parse(moved.now);
    } else {
      this.log(`Waiting for the deadline scheduler (every 15 s) to record the missed sign-for of ${DEMO_MARKER_TASK}, the approaching deadlines and today's missed daily report…`);
      await sleep(Math.max(0, lastDeadline + 1000 - Date.now()));
    }
    await c.post(`/reporting-windows/${SENSITIVE_PERIOD_WINDOW}/daily-reports`, handlerId(FILES_LATE), { date: this.reportDay, nil: true });
    const until = Date.now() + this.settleTimeoutMs;
    while (Date.now() < until) {
      if (await this.settled()) return true;
      await sleep(1000);
    }
    return false;
  }

  /** The office director issues last month's bulletin (月通报): that month is over, so it can be frozen and sealed. */
  async bulletin(): Promise<void> {
    const today = new Date(this.now() + BEIJING);
    const period = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await this.client.post('/bulletins', OFFICE_LEAD, { period });
    this.log(`Issued and sealed the monthly bulletin (月通报) of ${period}: GET /api/v1/bulletins/${period}; check a saved copy offline with npm run cli -- verify-bulletin <file>.`);
  }

  private async settled(): Promise<boolean> {
    const tasks = await this.tasks();
    const now = this.now();
    const dueSoon = (t: TaskView): boolean => CLOCK_RUNS.has(t.status ?? '') && Date.parse(t.dueAt) - now <= this.dueSoonDays * DAY;
    const urgent = tasks.find((t) => t.id === DEMO_MARKER_TASK);
    // Issued (1), then SignForMissed (2), and DeadlineApproaching too when it is due soon.
    const signForMissed = urgent !== undefined && urgent.version >= 2 + (dueSoon(urgent) ? 1 : 0);
    // Every district's first day is settled, 河东新区's miss recorded by the reporting scheduler.
    const firstDay = (await this.client.get<ComplianceView>(`/reporting-windows/${SENSITIVE_PERIOD_WINDOW}/compliance`, OFFICE)).units.map((u) => u.days[0]);
    const reportsSettled = firstDay.every((d) => d !== undefined && d.status !== 'pending' && (d.status !== 'missed' || d.missedEventId !== null));
    return signForMissed && reportsSettled && tasks.filter(dueSoon).every((t) => t.rag !== 'green');
  }

  private async tasks(): Promise<TaskView[]> {
    const ids = new Set(DEMO_TASK_IDS);
    const found: TaskView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<TaskView> = await this.client.get(`/tasks?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, OFFICE);
      found.push(...page.items.filter((t) => ids.has(t.id)));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return found;
  }

  async summary(outcome: DemoSummary['outcome'], tokens: DemoTokens, settled: boolean): Promise<DemoSummary> {
    const c = this.client;
    const unitIds = new Set(UNITS.map((u) => u.id));
    const units = (await c.get<Page<UnitView>>('/units?limit=200', OFFICE)).items.filter((u) => unitIds.has(u.id));
    const tasks = await this.tasks();
    const meetingRef = tasks.find((t) => t.source?.kind === 'meeting_decision')?.source?.ref ?? '';
    const meeting = await c.get<MeetingView>(`/meetings/${meetingRef.split('/')[0] ?? ''}`, OFFICE);
    const board = (await c.get<{ items: OfficeBoardRow[] }>('/boards/office', OFFICE)).items;
    const now = this.now();
    const signForOverdue = tasks.filter((t) => OPEN.has(t.status ?? '') && Date.parse(t.signForDueAt) < now && [t.leadUnitId, ...t.coUnitIds].some((u) => !t.signedFor.includes(u))).map((t) => t.id);
    const targetUnits = new Set(CONTROL_TARGETS.map((t) => t.unitId));
    const controlTargets = (await c.get<Page<ControlTargetView>>('/control-targets?limit=200', OFFICE)).items.filter((t) => t.metric === NON_NORMAL_PETITION_KIND && targetUnits.has(t.unitId));
    const sensitivePeriod = await c.find<ComplianceView>(`/reporting-windows/${SENSITIVE_PERIOD_WINDOW}/compliance`, OFFICE);
    return { outcome, units, meeting, tasks, board, signForOverdue, settled, tokens, controlTargets, sensitivePeriod };
  }
}

/** Roles of the tokens the summary prints, for the reader. */
export const DEMO_TOKEN_PEOPLE: Record<keyof DemoTokens, { who: string; roles: Role[] }> = {
  office: { who: `联席办 ${OFFICE_STAFF.name}`, roles: ['office'] },
  officeLead: { who: `联席办主任 ${OFFICE_DIRECTOR.name}`, roles: ['office', 'office_lead'] },
  unitLead: { who: `${unitOf(DEMO_MARKER_UNIT).name} ${unitOf(DEMO_MARKER_UNIT).portfolio.name}（分管负责人）`, roles: ['unit', 'unit_lead'] },
  inspector: { who: `${INSPECTOR.title} ${INSPECTOR.name}`, roles: ['inspector'] },
};
