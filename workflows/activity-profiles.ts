/**
 * Timeout and retry profiles of the platform's activities, shared by every workflow so the same
 * kind of call is treated the same everywhere.
 */

/** Our own database: fast, so short timeouts; outages are retried until it is back. */
export const DATABASE_ACTIVITY = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '20 seconds' },
} as const;

/** A third-party API over the internet (payment provider, carrier): longer timeout, gentler retries. */
export const EXTERNAL_API_ACTIVITY = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
