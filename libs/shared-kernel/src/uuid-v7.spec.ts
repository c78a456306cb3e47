import { isUuid, uuidv5, uuidv7 } from './uuid-v7';

describe('uuidv7', () => {
  it('mints distinct RFC 9562 version 7 ids, across refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id).toBe(id.toLowerCase());
      expect(id.charAt(14)).toBe('7');
      expect('89ab').toContain(id.charAt(19));
    }
  });

  it('starts with the given time in milliseconds, so ids sort by time', () => {
    const at = Date.UTC(2026, 10, 24, 8, 30);
    expect(parseInt(uuidv7(at).replace('-', '').slice(0, 12), 16)).toBe(at);
    expect(uuidv7(at + 1) > uuidv7(at)).toBe(true);
  });
});

describe('uuidv5', () => {
  it('gives the same lowercase version-5 id for the same name and different ids for different names', () => {
    const a = uuidv5('supervision.task-t1|overdue|2026-03-31T16:00:00.000Z');
    expect(a).toBe(uuidv5('supervision.task-t1|overdue|2026-03-31T16:00:00.000Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv5('supervision.task-t1|overdue|2026-04-30T16:00:00.000Z')).not.toBe(a);
  });
});
