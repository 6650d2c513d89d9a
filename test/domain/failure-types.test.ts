/**
 * domain/failure-types.ts and domain/notifications.ts: the `ApplicationFailure.type` strings the
 * activities throw and the workflows and the API branch on. Orders store some of them as their
 * `failureReason`, which docs/api.md names by the same word.
 */
import { FailureType } from '../../domain/failure-types';
import { NotificationFailureType } from '../../domain/notifications';

test('each failure type is the string of its own name', () => {
  for (const [name, type] of Object.entries(FailureType)) expect(type).toBe(name);
});

test('no two failures share a type string, across business and notification failures', () => {
  const all = [...Object.values(FailureType), ...Object.values(NotificationFailureType)];
  expect(new Set(all).size).toBe(all.length);
});

test.each(['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'PAYMENT_TIMEOUT', 'CANCELLED_BY_REQUEST', 'RESERVATION_EXPIRED'])(
  'the failureReason %s is a failure type',
  (reason) => {
    expect(Object.values(FailureType)).toContain(reason);
  },
);
