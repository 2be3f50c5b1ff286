/**
 * Tests run TypeScript through ts-jest in transpile-only mode; `npm test` type-checks first.
 * Two projects: every suite on the default stores (SQLite), and the emulator suites again on PostgreSQL
 * (one server from SF1500_TEST_PG, a fresh database per emulator). Without SF1500_TEST_PG the PostgreSQL
 * project is skipped with a message, except under CI=true, where its suites fail instead.
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['reflect-metadata'],
};

/** The emulator suites that run on both stores (the others test the SQLite store, seeds or the WSDL alone). */
const BOTH_STORES = ['objects', 'korsbaek', 'system', 'hostile', 'samples', 'durability', 'shared-database'];

const postgres = Boolean(process.env.SF1500_TEST_PG) || process.env.CI === 'true';
if (!postgres) {
  process.stderr.write('jest: PostgreSQL variants of the emulator suites skipped: SF1500_TEST_PG is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres; CI runs them)\n');
}

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'sqlite', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'] },
    ...(postgres
      ? [{
        ...base,
        displayName: 'postgres',
        roots: ['<rootDir>/test/emulator'],
        testMatch: BOTH_STORES.map((n) => `**/${n}.test.ts`),
        setupFiles: [...base.setupFiles, '<rootDir>/test/support/pg-project.ts'],
        setupFilesAfterEnv: ['<rootDir>/test/support/pg-project-after.ts'],
      }]
      : []),
  ],
};
