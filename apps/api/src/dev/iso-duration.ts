import { DomainError } from '@app/shared-kernel';

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in weeks, days, hours, minutes and seconds ("P3D", "PT2H", "P1DT12H") as
 * milliseconds. Months and years have no fixed length, so they are refused rather than guessed.
 */
export function durationMs(value: string): number {
  const m = DURATION.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) {
    throw new DomainError('invalid', 'INVALID_DURATION', 'advance must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. "P3D" or "PT2H".', [{ field: 'advance', message: 'not a duration' }]);
  }
  const [w, d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  return Math.round((((w * 7 + d) * 24 + h) * 60 + min) * 60_000 + s * 1000);
}
