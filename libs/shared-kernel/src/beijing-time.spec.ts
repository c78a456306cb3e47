import { toBeijingIso } from './beijing-time';

describe('toBeijingIso', () => {
  it('writes the same instant with the +08:00 offset, crossing midnight and the year', () => {
    expect(toBeijingIso('2026-06-30T09:00:00.000Z')).toBe('2026-06-30T17:00:00.000+08:00');
    expect(toBeijingIso(new Date('2026-12-31T20:30:00.000Z'))).toBe('2027-01-01T04:30:00.000+08:00');
    expect(new Date(toBeijingIso('2026-03-01T00:00:00.000Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses what is not an instant', () => {
    expect(() => toBeijingIso('not a date')).toThrow(RangeError);
  });
});
