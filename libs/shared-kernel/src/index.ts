export * from './uuid-v7';
export * from './clock';
export * from './domain-error';
export * from './roles';
export * from './decider';
export * from './beijing-time';
