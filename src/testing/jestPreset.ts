/**
 * The Jest preset: `preset: 'openddb'` in jest.config (where `preset: '@shelf/jest-dynamodb'`
 * was). One in-memory server for the run, tables from openddb.tables.json or an unchanged
 * jest-dynamodb-config.js, and the SDK environment variables set for every test file.
 */
import { fileURLToPath } from 'node:url';

const preset = {
  globalSetup: fileURLToPath(new URL('./jestGlobalSetup.js', import.meta.url)),
  globalTeardown: fileURLToPath(new URL('./jestGlobalTeardown.js', import.meta.url)),
  testEnvironment: 'node',
};

export default preset;
