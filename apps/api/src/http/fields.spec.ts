import { instant, text } from './fields';

describe('request fields', () => {
  it('normalises an instant to UTC', () => {
    expect(instant.parse('2026-06-01T08:00:00+08:00')).toBe('2026-06-01T00:00:00.000Z');
  });

  // An offset can carry a time out of years 0001–9999; PostgreSQL could not store what JavaScript then writes.
  it.each([
    ['0000-01-01T00:00:00+23:59', '1 BC, written -000001-12-31T…'],
    ['9999-12-31T23:59:59-23:59', 'year 10000, written +010000-…'],
    ['1899-12-31T23:59:59Z', 'before 1900'],
    ['3000-01-01T00:00:00Z', 'after 2999'],
  ])('refuses the instant %s (%s)', (value) => {
    const parsed = instant.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a time between 1900 and 2999');
  });

  it('keeps the ends of the range', () => {
    expect(instant.parse('1900-01-01T08:00:00+08:00')).toBe('1900-01-01T00:00:00.000Z');
    expect(instant.parse('2999-12-31T23:59:59.999Z')).toBe('2999-12-31T23:59:59.999Z');
  });

  it('refuses text PostgreSQL cannot store', () => {
    expect(text(10).safeParse('a\u0000b').success).toBe(false);
    expect(text(10).safeParse('a\ud800b').success).toBe(false);
    expect(text(10).parse(' 任务 ')).toBe('任务');
  });
});
