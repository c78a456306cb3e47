import { Logger } from '@nestjs/common';
import { createJsonLogger, type LogLevel } from './json-logger';
import { PinoLoggerService } from './pino-logger.service';

/** The lines a logger wrote, parsed: what a log collector would receive. */
function capture(level: LogLevel = 'info'): { lines: Record<string, unknown>[]; service: PinoLoggerService } {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({ app: 'api', level, destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { lines, service: new PinoLoggerService(logger) };
}

describe('PinoLoggerService: Nest logs as JSON lines', () => {
  it('writes one JSON object per call with the level as a word, an ISO time, the app and the context', () => {
    const { lines, service } = capture();
    service.log('Mapped {/api/v1/units, POST} route', 'RouterExplorer');
    service.warn('read models behind', 'findings');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', app: 'api', context: 'RouterExplorer', msg: 'Mapped {/api/v1/units, POST} route' }),
      expect.objectContaining({ level: 'warn', context: 'findings', msg: 'read models behind' }),
    ]);
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it('keeps an error’s stack apart from its context, as Nest passes them', () => {
    const { lines, service } = capture();
    const failure = new Error('connection refused');
    service.error('deadline check failed', failure.stack, 'deadlines');
    service.error(failure);
    expect(lines[0]).toMatchObject({ level: 'error', context: 'deadlines', msg: 'deadline check failed', stack: expect.stringContaining('connection refused') });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'connection refused', err: { type: 'Error', message: 'connection refused' } });
    expect(lines[1]).not.toHaveProperty('context');
  });

  it('drops what is below LOG_LEVEL', () => {
    const { lines, service } = capture('warn');
    service.log('routine');
    service.debug('detail');
    service.error('broken');
    expect(lines.map((l) => l.msg)).toEqual(['broken']);
  });

  it('serves Nest’s static Logger once installed, so `new Logger(context)` in services lands in it', () => {
    const { lines, service } = capture();
    Logger.overrideLogger(service);
    try {
      new Logger('reporting').error('window w-1 failed');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines).toEqual([expect.objectContaining({ level: 'error', context: 'reporting', msg: 'window w-1 failed' })]);
  });
});
