/**
 * Timeout and retry profiles of the platform's activities, shared by every workflow so the same
 * kind of call is treated the same everywhere.
 */

/**
 * Our own database: fast, so short timeouts; an outage is retried until it is back, for about an
 * hour (7 quick attempts, then one every 20 s). The budget is a backstop: nothing that cannot
 * succeed may retry forever (data errors fail at once, activities/index.ts).
 */
export const DATABASE_ACTIVITY = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '20 seconds',
    maximumAttempts: 185,
  },
} as const;

/**
 * A third-party API over the internet (payment provider, carrier): longer timeout, gentler retries,
 * for about two hours (6 attempts to reach the minute, then one a minute), then the step fails.
 */
export const EXTERNAL_API_ACTIVITY = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 125 },
} as const;

/**
 * Our mail server: a send is quick when it answers; when it is down, retry for about an hour with
 * growing pauses, then give up (the notification is marked FAILED, and support sees it).
 */
export const SMTP_ACTIVITY = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
} as const;
