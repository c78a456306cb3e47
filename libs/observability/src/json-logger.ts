import pino, { type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type { DestinationStream, Logger };

/**
 * One JSON object per line on stdout (or `destination`, which tests capture): `level` as a word
 * and `time` as ISO 8601, so a line reads without a lookup table, and `app` names the process
 * (api, projector) when several write to one collector.
 */
export function createJsonLogger(options: { app: string; level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { app: options.app },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
