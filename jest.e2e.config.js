/**
 * End-to-end and browser tests: a real n8n 2.x (Node 24, cached install) with this package loaded,
 * a real PostgreSQL, and fakes on loopback. Slow by nature and sharing fixed resources
 * (the fake amoCRM on 127.0.0.1:443), so files run one at a time in one jest; scripts/e2e-shards.mjs
 * runs several such jests at once, each in a network namespace of its own.
 * Run: npm run build && npx jest -c jest.e2e.config.js (scripts/test.sh builds, then runs the groups).
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test'],
	// Browser tests (test/browser) drive the same real n8n through Chromium.
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts', '<rootDir>/test/browser/**/*.browser.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	maxWorkers: 1,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 60,
	verbose: true,
};
