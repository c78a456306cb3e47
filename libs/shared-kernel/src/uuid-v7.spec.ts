import { isUuid, uuidv7 } from './uuid-v7';

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
