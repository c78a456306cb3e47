import { performance } from 'node:perf_hooks';
import { uuidv7 } from '@app/shared-kernel';

// Type aliases (not interfaces) so that they are also plain JSON records for Emmett's `Event`.
export type BenchActor = { personId: string; name: string; unitId: string | null; roles: string[] };

export type BenchMetadata = {
  actor: BenchActor;
  correlationId: string;
  causationId: string | null;
  requestId: string | null;
  occurredAt: string;
};

export type BenchData = {
  taskId: string;
  caseNo: string;
  title: string;
  summary: string;
  leadUnitId: string;
  assistingUnitIds: string[];
  deadline: string;
  priority: string;
  progress: number;
};

/** Shaped like the store's `NewEvent`, so every contender gets the same input. */
export type BenchEvent = { eventId: string; type: string; schemaVersion: number; data: BenchData; metadata: BenchMetadata };

type Payload = Omit<BenchEvent, 'eventId'>;

const EVENT_TYPES = [
  'supervision.task-issued.v1',
  'supervision.task-signed-for.v1',
  'supervision.progress-reported.v1',
  'supervision.deadline-extended.v1',
  'supervision.task-closed.v1',
] as const;
// 督办台账 vocabulary: realistic UTF-8 widths (3 bytes a character) in titles and summaries.
const WORDS = ['信访', '督办', '物业', '拆迁', '劳资', '回复', '核查', '协调', '街道', '社区', '群众', '反映', '事项', '落实', '整改', '办理'] as const;
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强'] as const;
const PRIORITIES = ['normal', 'high', 'urgent'] as const;
const DAY_MS = 86_400_000;
const BASE_MS = Date.UTC(2026, 0, 5, 9);

/** Small deterministic PRNG (mulberry32): the same payloads on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function makePayload(rand: () => number): Payload {
  const int = (max: number): number => Math.floor(rand() * max);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('empty pick');
    return item;
  };
  const text = (words: number): string => Array.from({ length: words }, () => pick(WORDS)).join('');
  const unit = (): string => `unit-${String(int(60)).padStart(3, '0')}`;
  const leadUnitId = unit();
  const occurredMs = BASE_MS + int(300) * DAY_MS + int(DAY_MS);
  return {
    type: pick(EVENT_TYPES),
    schemaVersion: 1,
    data: {
      taskId: uuidv7(occurredMs),
      caseNo: `XF-2026-${String(int(1_000_000)).padStart(6, '0')}`,
      title: text(6 + int(4)),
      summary: text(12 + int(16)),
      leadUnitId,
      assistingUnitIds: [unit(), unit()],
      deadline: new Date(occurredMs + (5 + int(60)) * DAY_MS).toISOString(),
      priority: pick(PRIORITIES),
      progress: int(101),
    },
    metadata: {
      actor: { personId: `person-${int(5000)}`, name: pick(NAMES), unitId: leadUnitId, roles: rand() < 0.2 ? ['handler', 'leader'] : ['handler'] },
      correlationId: uuidv7(occurredMs),
      causationId: rand() < 0.5 ? uuidv7(occurredMs) : null,
      requestId: uuidv7(occurredMs),
      occurredAt: new Date(occurredMs).toISOString(),
    },
  };
}

/**
 * Precomputed payloads, so the measured loop only mints an event id (UUIDv7, time-ordered as in
 * production) and picks a payload. Payload objects are shared between events and never mutated.
 */
export class PayloadPool {
  private readonly payloads: Payload[];
  private next = 0;

  constructor(size = 1024, seed = 20_260_105) {
    const rand = random(seed);
    this.payloads = Array.from({ length: size }, () => makePayload(rand));
  }

  event(): BenchEvent {
    const payload = this.payloads[this.next % this.payloads.length] as Payload;
    this.next += 1;
    return { eventId: uuidv7(), type: payload.type, schemaVersion: payload.schemaVersion, data: payload.data, metadata: payload.metadata };
  }

  events(count: number): BenchEvent[] {
    return Array.from({ length: count }, () => this.event());
  }

  /** Average UTF-8 sizes of the JSON of data and metadata. */
  averageBytes(): { data: number; metadata: number } {
    const avg = (f: (p: Payload) => unknown): number =>
      Math.round(this.payloads.reduce((sum, p) => sum + Buffer.byteLength(JSON.stringify(f(p))), 0) / this.payloads.length);
    return { data: avg((p) => p.data), metadata: avg((p) => p.metadata) };
  }
}

/** One writer's current stream; moves on to a fresh stream once it holds `maxVersion` events. */
export class StreamCursor {
  streamId = '';
  version = 0;

  constructor(private readonly maxVersion: number) {
    this.roll();
  }

  advance(events: number): void {
    this.version += events;
    if (this.version >= this.maxVersion) this.roll();
  }

  roll(): void {
    this.streamId = `supervision.task-${uuidv7()}`;
    this.version = 0;
  }
}

export interface WindowOptions {
  workers: number;
  warmupMs: number;
  windowMs: number;
  /** One operation of one worker; resolves to the number of events it wrote. */
  op: (worker: number) => Promise<number>;
}

export interface WindowResult {
  rate: number;
  events: number;
  seconds: number;
  errors: number;
  firstError: string | null;
  /** CPU this process used during the window, in cores (1 = one core busy): is the client side saturated? */
  clientCores: number;
}

const MAX_ERRORS = 200;

/**
 * Runs `workers` closed loops of `op`; counts the events of operations that complete inside the
 * window that follows the warm-up. Operations still in flight at the end are awaited, not counted.
 */
export async function runWindow(options: WindowOptions): Promise<WindowResult> {
  let counting = false;
  let stopping = false;
  let events = 0;
  let errors = 0;
  let firstError: string | null = null;
  let start = 0;
  let end = 0;
  let cpuAtStart = process.cpuUsage();
  let cpu = { user: 0, system: 0 };
  const warm = setTimeout(() => {
    counting = true;
    start = performance.now();
    cpuAtStart = process.cpuUsage();
  }, options.warmupMs);
  const done = setTimeout(() => {
    counting = false;
    stopping = true;
    end = performance.now();
    cpu = process.cpuUsage(cpuAtStart);
  }, options.warmupMs + options.windowMs);
  const loop = async (worker: number): Promise<void> => {
    while (!stopping) {
      try {
        const n = await options.op(worker);
        if (counting) events += n;
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (errors >= MAX_ERRORS) stopping = true;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => loop(i)));
  clearTimeout(warm);
  clearTimeout(done);
  if (end === 0) {
    end = performance.now();
    cpu = process.cpuUsage(cpuAtStart);
  }
  const seconds = start === 0 ? 0 : (end - start) / 1000;
  const clientCores = seconds > 0 ? (cpu.user + cpu.system) / 1e6 / seconds : 0;
  return { rate: seconds > 0 ? events / seconds : 0, events, seconds, errors, firstError, clientCores };
}

/** `workers` loops calling `step` until it returns false (bulk fills). */
export async function runConcurrently(workers: number, step: (worker: number) => Promise<boolean>): Promise<void> {
  const loop = async (worker: number): Promise<void> => {
    while (await step(worker)) {
      // keep going
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => loop(i)));
}
