/** Layer rules (STYLE.md rule 7), checked in CI by `npm run boundaries`. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'libs-never-import-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    { name: 'apps-never-import-each-other', severity: 'error', from: { path: '^apps/([^/]+)/' }, to: { path: '^apps/', pathNot: '^apps/$1/' } },
    {
      name: 'libs-only-through-index',
      comment: 'Import a lib only through its alias and index.ts, never by deep path.',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'other-libs-only-through-index',
      severity: 'error',
      from: { path: '^libs/([^/]+)/', pathNot: '^libs/testing/src/jest/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'shared-kernel-is-pure',
      comment: 'No framework, no database, no other lib.',
      severity: 'error',
      from: { path: '^libs/shared-kernel/' },
      to: { path: ['^libs/(?!shared-kernel/)', '@nestjs', '^node_modules/(pg|typeorm)/'] },
    },
    {
      name: 'ledger-is-pure',
      comment: 'Hashing, Merkle trees and signatures: no framework, no database, no event store.',
      severity: 'error',
      from: { path: '^libs/ledger/' },
      to: { path: ['^libs/(?!(ledger|shared-kernel)/)', '@nestjs', '^node_modules/(pg|typeorm)/'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'Deciders import only the shared kernel and their own domain (their specs may also use libs/testing).',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['@nestjs', '^node_modules/(pg|typeorm)/', '^libs/(?!shared-kernel/)[^/]+/src/(?!domain/)'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|node_modules|\\.data)/' },
  },
};
