import { isResidentIdNumber } from './resident-id';

describe('PRC resident ID numbers (GB 11643)', () => {
  it('accepts numbers whose check character follows from the first 17 digits, X included', () => {
    expect(isResidentIdNumber('11010519491231002X')).toBe(true); // the standard's own example
    expect(isResidentIdNumber('510903199001011238')).toBe(true);
    expect(isResidentIdNumber('510903198506121040')).toBe(true);
    expect(isResidentIdNumber('11010119900307803X')).toBe(true);
  });

  it('refuses a birth year before 1900 even with the right check character', () => {
    expect(isResidentIdNumber('440524188001010014')).toBe(false);
  });

  it('refuses a wrong check character, any one digit mistyped, and a lower-case x', () => {
    expect(isResidentIdNumber('110105194912310021')).toBe(false);
    expect(isResidentIdNumber('11010519491231003X')).toBe(false);
    expect(isResidentIdNumber('11010519491231002x')).toBe(false);
    const valid = '510903199001011238';
    for (let i = 0; i < 17; i += 1) {
      const digit = Number(valid[i]);
      const typo = `${valid.slice(0, i)}${(digit + 1) % 10}${valid.slice(i + 1)}`;
      expect(isResidentIdNumber(typo)).toBe(false);
    }
  });

  it('refuses other lengths, letters, and birth dates that do not exist', () => {
    expect(isResidentIdNumber('')).toBe(false);
    expect(isResidentIdNumber('51090319900101123')).toBe(false);
    expect(isResidentIdNumber('5109031990010112380')).toBe(false);
    expect(isResidentIdNumber('51090319900101123A')).toBe(false);
    expect(isResidentIdNumber('510903 99001011230')).toBe(false);
    expect(isResidentIdNumber(withCheck('51090319900230123'))).toBe(false); // 30 February
    expect(isResidentIdNumber(withCheck('51090319901301123'))).toBe(false); // month 13
    expect(isResidentIdNumber(withCheck('51090320000229123'))).toBe(true); // a leap day
  });
});

/** The number with its correct check character, so that only the part under test can fail. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * (weights[i] ?? 0), 0);
  return `${first17}${'10X98765432'[sum % 11]}`;
}
