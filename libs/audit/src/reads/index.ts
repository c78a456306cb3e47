export * from './attribution';
export * from './responsibility';
export * from './task-history';
export * from './task-history.reader';
export * from './audit-reads.service';
