import type { RecordedEvent } from './envelope';

/** Turns `data` of `type` at `fromVersion` into the shape of `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/**
 * Applied on read so that handlers only ever see current schemas. The stored bytes (and so the
 * hash chain) never change; readers that verify hashes ask for `raw` events.
 */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: Upcaster[] = []) {
    for (const u of upcasters) {
      this.byKey.set(`${u.type}@${u.fromVersion}`, u);
    }
  }

  apply(event: RecordedEvent): RecordedEvent {
    let current = event;
    for (let next = this.byKey.get(`${current.type}@${current.schemaVersion}`); next; next = this.byKey.get(`${current.type}@${current.schemaVersion}`)) {
      current = { ...current, data: next.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }
}
