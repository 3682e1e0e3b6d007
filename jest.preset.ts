import type { Config } from 'jest';

/** Shared per-project Jest settings: ts-jest over the sources, `@aiecs/*` resolved to `packages/<name>/src`. */
export function projectConfig(displayName: string): Config {
  return {
    displayName,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.json' }] },
    moduleNameMapper: { '^@aiecs/(.*)$': '<rootDir>/../../packages/$1/src' },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  };
}
