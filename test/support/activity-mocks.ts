/**
 * Activity doubles typed as the real factory's output, so a changed activity signature breaks the
 * workflow tests at compile time instead of silently diverging.
 */
import type { Activities } from '../../activities';
import { CHECKOUT_ITEMS } from './checkout-input';

export type ActivityMocks = {
  [K in keyof Activities]: jest.Mock<ReturnType<Activities[K]>, Parameters<Activities[K]>>;
};

function mock<K extends keyof Activities>(impl: Activities[K]): ActivityMocks[K] {
  return jest.fn(impl as (...args: never[]) => unknown) as unknown as ActivityMocks[K];
}

/** The provider's answer while the customer has not finished 3-D Secure. */
export const PROVIDER_PENDING = { outcome: 'pending' } as const;

/** Mocks that behave like a healthy system with plenty of stock and an approving provider. */
export function happyActivities(): ActivityMocks {
  return {
    createOrder: mock<'createOrder'>(async (input) => ({
      orderId: input.orderId,
      totalCents: 2500,
      currency: 'USD',
      items: CHECKOUT_ITEMS,
    })),
    markOrderPaid: mock<'markOrderPaid'>(async () => true),
    completePaidOrderCancellation: mock<'completePaidOrderCancellation'>(async () => undefined),
    releaseExpiredReservations: mock<'releaseExpiredReservations'>(async () => 0),
    deleteAbandonedGuestCarts: mock<'deleteAbandonedGuestCarts'>(async () => 0),
    markOrderAwaitingPaymentConfirmation: mock<'markOrderAwaitingPaymentConfirmation'>(async () => true),
    markOrderCancelled: mock<'markOrderCancelled'>(async () => undefined),
    markOrderFailed: mock<'markOrderFailed'>(async () => undefined),
    cartToRemindAfter: mock<'cartToRemindAfter'>(async () => null),
    // A cart last changed long ago: a timer that fires sends its reminder.
    cartLastChangedAt: mock<'cartLastChangedAt'>(async () => ({ changedAtMs: 0 })),
    reserveStock: mock<'reserveStock'>(async () => undefined),
    releaseStock: mock<'releaseStock'>(async () => 1),
    chargePayment: mock<'chargePayment'>(async () => ({
      outcome: 'captured' as const,
      providerPaymentId: 'pi_test_1',
    })),
    // The provider confirms a capture of the whole total (the createOrder double's 2500 USD).
    verifyPayment: mock<'verifyPayment'>(async () => ({
      outcome: 'captured' as const,
      capturedCents: 2500,
      currency: 'USD',
    })),
    cancelPayment: mock<'cancelPayment'>(async () => undefined),
    refundPayment: mock<'refundPayment'>(async () => 're_test_1'),
    approveRefund: mock<'approveRefund'>(async () => true),
    rejectRefund: mock<'rejectRefund'>(async () => undefined),
    executeRefund: mock<'executeRefund'>(async () => 'PAID'),
    failRefund: mock<'failRefund'>(async () => undefined),
    stopParcelOfRefundedOrder: mock<'stopParcelOfRefundedOrder'>(async () => false),
    restockStoppedParcel: mock<'restockStoppedParcel'>(async () => undefined),
    createShipment: mock<'createShipment'>(async () => ({ shipmentId: 'ship-1', trackingNumber: 'SIM1' })),
    cancelShipmentLabel: mock<'cancelShipmentLabel'>(async () => undefined),
    recordCarrierEvent: mock<'recordCarrierEvent'>(async () => 'SHIPPED'),
    recordCarrierEventAfterCancel: mock<'recordCarrierEventAfterCancel'>(async () => undefined),
    takeUnrelayedCarrierEvents: mock<'takeUnrelayedCarrierEvents'>(async () => []),
    markCarrierEventsRelayed: mock<'markCarrierEventsRelayed'>(async () => undefined),
    flagPickupOverdue: mock<'flagPickupOverdue'>(async () => undefined),
    markShipmentLost: mock<'markShipmentLost'>(async () => undefined),
    prepareNotification: mock<'prepareNotification'>(async () => ({ notificationId: 'notification-1' })),
    deliverNotification: mock<'deliverNotification'>(async () => undefined),
    failNotification: mock<'failNotification'>(async () => undefined),
    markOrderReturned: mock<'markOrderReturned'>(async () => undefined),
    requestSystemRefund: mock<'requestSystemRefund'>(async () => ({
      refundId: '00000000-0000-4000-8000-0000000000f1',
      amountCents: 2500,
    })),
  };
}
