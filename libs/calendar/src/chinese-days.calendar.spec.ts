import { ChineseDaysCalendar, chineseDaysCoversYear } from './chinese-days.calendar';
import { workingDeadline } from './working-calendar';

const at = (beijing: string) => new Date(`${beijing}+08:00`);
const due = (calendar: ChineseDaysCalendar, fromBeijing: string, n: number) => calendar.addWorkingDays(at(fromBeijing), n).toISOString();

describe('ChineseDaysCalendar', () => {
  const calendar = new ChineseDaysCalendar();

  it('follows the package data for National Day 2025: holidays off, 调休 weekend days on', () => {
    for (const day of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']) {
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, false]);
    }
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true); // Sunday, make-up day
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true); // Saturday, make-up day
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false); // plain Sunday
  });

  it('follows the package data for Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 on', () => {
    for (let d = 15; d <= 23; d++) expect(calendar.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('ends a deadline at 24:00 Beijing of the n-th working day after the issuing day', () => {
    expect(due(calendar, '2026-11-20T15:00:00', 1)).toBe('2026-11-23T16:00:00.000Z'); // Friday → Monday
    // 01:00 Friday in Beijing is still Thursday in UTC: the Beijing day is what counts.
    expect(due(calendar, '2026-11-20T01:00:00', 1)).toBe('2026-11-23T16:00:00.000Z');
    expect(due(calendar, '2026-11-19T23:59:59', 1)).toBe('2026-11-20T16:00:00.000Z');
  });

  it('skips the National Day holidays and counts make-up Saturdays', () => {
    expect(due(calendar, '2025-09-30T10:00:00', 1)).toBe('2025-10-09T16:00:00.000Z');
    expect(due(calendar, '2025-10-10T10:00:00', 1)).toBe('2025-10-11T16:00:00.000Z'); // Saturday 10-11 is a working day
    expect(due(calendar, '2025-10-11T10:00:00', 1)).toBe('2025-10-13T16:00:00.000Z'); // issued on that Saturday
    expect(due(calendar, '2025-09-27T10:00:00', 2)).toBe('2025-09-29T16:00:00.000Z'); // Sunday 09-28 counts
  });

  it('runs a 5-working-day objection window across a weekend and across Spring Festival', () => {
    expect(due(calendar, '2026-11-18T09:00:00', 5)).toBe('2026-11-25T16:00:00.000Z'); // Thu, Fri, Mon, Tue, Wed
    expect(due(calendar, '2026-02-12T09:00:00', 5)).toBe('2026-02-26T16:00:00.000Z'); // 02-13, 02-14, 02-24, 02-25, 02-26
  });

  it('lets configured overrides win over the package data', () => {
    const overridden = new ChineseDaysCalendar({ holidays: ['2026-11-23'], workdays: ['2025-10-08', '2026-11-21'] });
    expect(overridden.isWorkingDay('2025-10-08')).toBe(true);
    expect(due(overridden, '2025-09-30T10:00:00', 1)).toBe('2025-10-08T16:00:00.000Z');
    expect(due(overridden, '2026-11-20T15:00:00', 1)).toBe('2026-11-21T16:00:00.000Z'); // Saturday made a workday
    expect(due(overridden, '2026-11-20T15:00:00', 2)).toBe('2026-11-24T16:00:00.000Z'); // Monday made a holiday
  });

  it('refuses bad overrides and bad arguments', () => {
    expect(() => new ChineseDaysCalendar({ holidays: ['2026-02-30'] })).toThrow(/2026-02-30/);
    expect(() => new ChineseDaysCalendar({ workdays: ['2026/10/10'] })).toThrow(/YYYY-MM-DD/);
    expect(() => new ChineseDaysCalendar({ holidays: ['2026-10-10'], workdays: ['2026-10-10'] })).toThrow(/both holiday and workday: 2026-10-10/);
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => calendar.addWorkingDays(at('2026-11-20T15:00:00'), n)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026-1-5')).toThrow(RangeError);
  });

  it('tells which years the package covers and falls back to Monday to Friday elsewhere', () => {
    expect([2025, 2026].map(chineseDaysCoversYear)).toEqual([true, true]);
    expect(chineseDaysCoversYear(2099)).toBe(false);
    expect(calendar.coversYear(2099)).toBe(false);
    expect(due(calendar, '2099-01-01T10:00:00', 2)).toBe('2099-01-05T16:00:00.000Z'); // Thu → Fri, Mon
    const configured = new ChineseDaysCalendar({ holidays: ['2099-01-02'] });
    expect(configured.coversYear(2099)).toBe(true);
    expect(due(configured, '2099-01-01T10:00:00', 1)).toBe('2099-01-05T16:00:00.000Z');
  });

  it('records the rule and the calendar with each deadline', () => {
    expect(calendar.name).toMatch(/^chinese-days@\d+\.\d+\.\d+/);
    expect(workingDeadline(calendar, at('2026-11-20T15:00:00'), 1, 'sign-for: 1 working day')).toEqual({
      dueAt: '2026-11-23T16:00:00.000Z',
      rule: 'sign-for: 1 working day',
      calendar: calendar.name,
    });
  });
});
