'use strict';

/**
 * Tests are plain CommonJS JavaScript (see README, "Development"): the pack's
 * strict lint applies n8n's runtime rules to every .ts file, and those rules
 * are for code that runs inside n8n, not for a test server.
 * The node code under test is TypeScript, compiled on the fly by ts-jest
 * (transpile only; `npm run typecheck` checks the types).
 */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/bench/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	testTimeout: 30000,
};
