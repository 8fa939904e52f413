import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/deploy', '<rootDir>/test-support'],
  setupFiles: ['<rootDir>/jest.setup.ts'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    // Subpath exports map to their source file, as the package names map to their `src` below.
    '^@lenet/image/browser$': '<rootDir>/packages/image/src/browser.ts',
    '^@lenet/([a-z-]+)$': '<rootDir>/packages/$1/src',
  },
  testTimeout: 120_000,
  maxWorkers: 2,
};

export default config;
