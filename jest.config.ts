import type { Config } from 'jest';

const config: Config = {
  projects: ['<rootDir>/packages/*', '<rootDir>/examples/*'],
};

export default config;
