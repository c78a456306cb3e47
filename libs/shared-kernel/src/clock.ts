/**
 * The only source of "now" for the domain and the event store (DESIGN.md §5).
 * Abstract class so it can serve as a Nest DI token without importing Nest here.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to; used by tests and CLOCK_MODE=manual. */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    const next = new Date(to).getTime();
    if (next < this.current) {
      throw new Error('ManualClock never moves backwards');
    }
    this.current = next;
  }

  advanceMs(ms: number): void {
    this.set(new Date(this.current + ms));
  }
}
