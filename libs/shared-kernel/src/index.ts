export * from './uuid-v7';
export * from './clock';
