/**
 * Jest setup file: the Temporal SDK logs every workflow failure at WARN, and most tests fail
 * workflows on purpose. Keep errors only, so a real problem stands out in the test output.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), console: {} } },
  });
} catch {
  // Already installed by an earlier test file in this jest worker.
}
