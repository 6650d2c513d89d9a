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

/**
 * Our mail server: a send is quick when it answers; when it is down, retry for about an hour with
 * growing pauses, then give up (the notification is marked FAILED, and support sees it).
 */
export const SMTP_ACTIVITY = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
} as const;
