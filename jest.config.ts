import type { Config } from 'jest';

const config: Config = {
  projects: ['<rootDir>/packages/*', '<rootDir>/examples/*', '<rootDir>/tests/*'],
};

export default config;
