// Public surface of @app/ledger: tamper evidence for the event log (hash chains, Merkle
// checkpoints, signatures). Pure functions over Node's crypto; no Nest, no database.
export * from './canonical-json';
export * from './hash';
export * from './event-hash';
export * from './chain-verifier';
export * from './merkle';
export * from './merkle-proofs';
export * from './signer';
export * from './signing-key-file';
export * from './secret-file';
export * from './checkpoint';
export * from './seal';
