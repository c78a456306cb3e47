export * from './json-logger';
export * from './pino-logger.service';
