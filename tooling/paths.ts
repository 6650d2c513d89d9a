import path from 'node:path';
import { BUILD_DIR_NAME, repositoryRoot } from '../platform/repository-root';

export const ROOT = repositoryRoot(__dirname);
/** The compiled code (`npm run build`), in the repository's layout: dist/app/api/server.js. */
export const BUILD_DIR = path.join(ROOT, BUILD_DIR_NAME);
/**
 * Whether this process runs the build rather than the sources through tsx: the processes it
 * launches run in the same form (the bench, drills and npm start compiled; Jest's process tests not).
 */
export const RUNS_COMPILED = __filename.endsWith('.js');
export const TEMPORAL_CLI = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal');
export const TEMPORAL_TEST_SERVER = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal-test-server');
/** Local state of `npm start` (Temporal's SQLite file), git-ignored. */
export const DATA_DIR = path.join(ROOT, '.data');
