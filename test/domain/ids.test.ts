/**
 * domain/ids.ts and domain/notifications.ts: workflow IDs and dedupe keys are business IDs, the
 * same input always the same ID, and two different subjects never share one.
 */
import fc from 'fast-check';
import {
  cancelPaidOrderWorkflowId,
  cartReminderWorkflowId,
  checkoutWorkflowId,
  notificationWorkflowId,
  refundWorkflowId,
  shipmentWorkflowId,
} from '../../domain/ids';
import { NOTIFICATION_TYPES, notificationKey } from '../../domain/notifications';

const ORDER = '0b9f3a4e-6c1d-4c51-9a8e-2f7d1c3b5a60';

test.each([
  [checkoutWorkflowId(ORDER, 'key-1'), `checkout-${ORDER}-key-1`],
  [cancelPaidOrderWorkflowId(ORDER), `cancel-${ORDER}`],
  [shipmentWorkflowId(ORDER), `shipment-${ORDER}`],
  [refundWorkflowId(ORDER), `refund-${ORDER}`],
  [cartReminderWorkflowId(ORDER), `cart-reminder-${ORDER}`],
  [notificationWorkflowId(notificationKey('order_shipped', ORDER)), `notify-order_shipped:${ORDER}`],
])('%s', (id, expected) => {
  expect(id).toBe(expected);
});

test("one subject's workflows of different kinds never share an ID", () => {
  fc.assert(
    fc.property(fc.uuid(), (id) => {
      const ids = [
        checkoutWorkflowId(id, id),
        cancelPaidOrderWorkflowId(id),
        shipmentWorkflowId(id),
        refundWorkflowId(id),
        cartReminderWorkflowId(id),
        notificationWorkflowId(id),
      ];
      expect(new Set(ids).size).toBe(ids.length);
    }),
  );
});

test('a checkout ID tells customers and idempotency keys apart (customer IDs are UUIDs)', () => {
  fc.assert(
    fc.property(fc.uuid(), fc.string(), fc.uuid(), fc.string(), (c1, k1, c2, k2) => {
      fc.pre(c1 !== c2 || k1 !== k2);
      expect(checkoutWorkflowId(c1, k1)).not.toBe(checkoutWorkflowId(c2, k2));
    }),
  );
});

test('a notification key names the event: same event, same key; another type or subject, another key', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...NOTIFICATION_TYPES),
      fc.uuid(),
      fc.constantFrom(...NOTIFICATION_TYPES),
      fc.uuid(),
      (t1, s1, t2, s2) => {
        expect(notificationKey(t1, s1)).toBe(notificationKey(t1, s1));
        if (t1 !== t2 || s1 !== s2) expect(notificationKey(t1, s1)).not.toBe(notificationKey(t2, s2));
      },
    ),
  );
});
