/** GB 11643-1999: weights of the first 17 digits, and the check character for each remainder mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/**
 * Whether `value` is an 18-character resident identity number (居民身份证号码) of the PRC: 17 digits,
 * the first 6 an area code, then a real birth date (YYYYMMDD, from 1900), then the check character
 * (a digit or an upper-case X) that follows from the others. A typo in any one digit fails the check.
 */
export function isResidentIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const [y, m, d] = [value.slice(6, 10), value.slice(10, 12), value.slice(12, 14)].map(Number) as [number, number, number];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  let sum = 0;
  for (const [i, weight] of WEIGHTS.entries()) sum += Number(value[i]) * weight;
  return value[17] === CHECK[sum % 11];
}
