import type { Config } from 'jest';
import { projectConfig } from '../../jest.preset';

// One suite: the packages packed, installed outside the workspace and run with each toolchain.
const config: Config = { ...projectConfig('consumer'), testMatch: ['<rootDir>/*.test.ts'], testTimeout: 300_000 };

export default config;
