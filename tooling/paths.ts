import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const TEMPORAL_CLI = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal');
export const TEMPORAL_TEST_SERVER = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal-test-server');
/** Local state of `npm start` (Temporal's SQLite file), git-ignored. */
export const DATA_DIR = path.join(ROOT, '.data');
