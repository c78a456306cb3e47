export * from './checkpoint.repository';
export * from './checkpoint.service';
export * from './verification.service';
export * from './merkle-accumulator';
export * from './checkpoint.scheduler';
export * from './ledger.module';
export * from './access-log';
