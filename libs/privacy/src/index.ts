export * from './personal-data.cipher';
export * from './resident-id';
export * from './master-key-file';
export * from './subject-key.store';
export * from './personal-data.vault';
export * from './subject-shredded.event';
export * from './subject-shredder';
export * from './privacy.module';
