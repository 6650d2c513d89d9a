/**
 * Every route of the HTTP API, as the OpenAPI document (GET /openapi.json) describes it. The
 * schemas are the ones the handlers validate requests with (exported by api/routes/*) and the ones
 * their answers are typed by (api/http/response-schemas.ts), so the document cannot describe a
 * request the code would refuse or a field the code does not send.
 *
 * Adding a route: add one entry below (or to SIMULATED_BANK_OPERATIONS) next to its neighbours:
 * method, OpenAPI path (`{param}` where Hono has `:param`), summary, tag, access, the handler's own
 * path/query/body schemas, its success answers and the problem codes it answers beyond those its
 * fields imply (see Operation.problems). Export the schemas from the route file if they are not
 * yet. test/api/openapi.test.ts fails while a route the app serves has no entry here (or an entry
 * has no route), and every API test checks its answers against the document.
 */
import { z } from 'zod';
import { checkoutRequestSchema, skuSchema } from '../checkout/request';
import {
  auditPageSchema,
  cancelAcceptedSchema,
  cartSchema,
  checkoutAcceptedSchema,
  livenessSchema,
  notificationListSchema,
  notificationPageSchema,
  openApiDocumentSchema,
  orderPageSchema,
  orderSchema,
  productPageSchema,
  productSchema,
  readinessSchema,
  refundListSchema,
  refundSchema,
  refundStateSchema,
  tokenSchema,
  webhookAckSchema,
} from '../http/response-schemas';
import { listQuery as auditListQuery } from '../routes/admin-audit';
import { credentialsSchema } from '../routes/auth';
import { addBody, cartIdSchema, setBody } from '../routes/carts';
import { mergeBody, pageQuery } from '../routes/me';
import { cancelBody, listQuery as orderListQuery, orderIdSchema } from '../routes/orders';
import { inventoryBody, listQuery as productListQuery } from '../routes/products';
import { refundBody, uuid as refundIdSchema } from '../routes/refunds';
import { paymentIdSchema } from '../routes/sim-3ds';
import { carrierEventSchema, paymentEventSchema } from '../routes/webhooks';
import { timelineResponseSchema } from '../http/timeline-schema';
import { REFERENCE_ASSETS } from './reference-page';
import { html, json, type Operation } from './operation';

const STAFF = ['support', 'admin'] as const;
const ANY_ROLE = ['customer', 'support', 'admin'] as const;

const orderId = orderIdSchema.describe('The order id');
const cartId = cartIdSchema.describe("The cart's id (a guest cart's id is its key)");
const refundId = refundIdSchema.describe('The refund id');
const order = json('Order', orderSchema);
const cart = json('Cart', cartSchema);
const product = json('Product', productSchema);
const refundState = json('RefundState', refundStateSchema);
/** Every answer that changes a cart: the cart as it now reads. */
const cartChanged = { 200: { description: 'The cart as it now reads.', content: cart } };
const cartChangeProblems = ['not_found', 'cart_closed', 'unknown_sku', 'insufficient_stock', 'cart_too_large'] as const;

export const OPERATIONS: readonly Operation[] = [
  // --- Operations and the API description
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: 200 while the process lives',
    tag: 'Operations',
    access: 'public',
    success: { 200: { description: 'The process is alive.', content: json('Liveness', livenessSchema) } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: 200 only when PostgreSQL, Redis and Temporal answer',
    tag: 'Operations',
    access: 'public',
    success: { 200: { description: 'Every dependency answers.', content: json('Readiness', readinessSchema) } },
    problems: ['not_ready'],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (OpenAPI 3.1)',
    tag: 'API description',
    access: 'public',
    success: { 200: { description: 'The OpenAPI document.', content: json('OpenApiDocument', openApiDocumentSchema) } },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getApiReference',
    summary: 'The rendered API reference (Swagger UI) of this document',
    tag: 'API description',
    access: 'public',
    success: { 200: { description: 'The reference page.', content: html } },
  },
  {
    method: 'get',
    path: '/docs/assets/{file}',
    operationId: 'getApiReferenceAsset',
    summary: 'A script, style sheet or image of the reference page, served from the installed package',
    tag: 'API description',
    access: 'public',
    pathParams: { file: z.enum(Object.keys(REFERENCE_ASSETS) as [string, ...string[]]) },
    success: {
      200: {
        description: 'The file.',
        content: { kind: 'asset', mediaTypes: [...new Set(Object.values(REFERENCE_ASSETS).map((a) => a.type))] },
      },
    },
    problems: ['not_found'],
  },

  // --- Auth
  {
    method: 'post',
    path: '/v1/auth/token',
    operationId: 'createToken',
    summary: 'Sign in: a bearer token for an email and password',
    description:
      'After 10 failed attempts for one email within 5 minutes (or 100 from one client address) further ' +
      'attempts get 429 with Retry-After, even with the right password.',
    tag: 'Auth',
    access: 'public',
    body: { name: 'Credentials', schema: credentialsSchema },
    success: { 200: { description: 'A bearer token.', content: json('Token', tokenSchema) } },
    problems: ['invalid_credentials', 'rate_limited'],
  },

  // --- Catalog
  {
    method: 'get',
    path: '/v1/products',
    operationId: 'listProducts',
    summary: 'The catalog, a page at a time (by sku)',
    tag: 'Catalog',
    access: 'public',
    query: productListQuery,
    success: { 200: { description: 'A page of products.', content: json('ProductPage', productPageSchema) } },
  },
  {
    method: 'get',
    path: '/v1/products/{sku}',
    operationId: 'getProduct',
    summary: 'One product',
    tag: 'Catalog',
    access: 'public',
    pathParams: { sku: z.string().describe('The product sku') },
    success: { 200: { description: 'The product.', content: product } },
    problems: ['not_found'],
  },
  {
    method: 'put',
    path: '/v1/admin/inventory/{sku}',
    operationId: 'setOnHand',
    summary: 'Record the counted on-hand stock of a product (admin)',
    tag: 'Admin',
    access: ['admin'],
    pathParams: { sku: z.string().describe('The product sku') },
    body: { name: 'InventoryUpdate', schema: inventoryBody },
    success: { 200: { description: 'The product with its new availability.', content: product } },
    problems: ['not_found', 'on_hand_below_reserved'],
  },
  {
    method: 'get',
    path: '/v1/admin/audit',
    operationId: 'listAuditEntries',
    summary: 'The audit trail of support and admin actions, newest first (admin)',
    tag: 'Admin',
    access: ['admin'],
    query: auditListQuery,
    success: { 200: { description: 'A page of audit entries.', content: json('AuditPage', auditPageSchema) } },
  },

  // --- Carts
  {
    method: 'post',
    path: '/v1/carts',
    operationId: 'createCart',
    summary: "Create a cart: a guest cart, or with a customer's token their open cart",
    description: 'A customer who already has an open cart gets it back (200) instead of a new one (201).',
    tag: 'Carts',
    access: 'optional-token',
    success: {
      201: { description: 'A new cart.', content: cart, headers: ['Location'] },
      200: { description: "The customer's existing open cart.", content: cart, headers: ['Location'] },
    },
  },
  {
    method: 'get',
    path: '/v1/carts/{cartId}',
    operationId: 'getCart',
    summary: 'One cart',
    description: "Another customer's cart is not found (404).",
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId },
    success: { 200: { description: 'The cart.', content: cart } },
    problems: ['validation_failed', 'not_found'],
  },
  {
    method: 'post',
    path: '/v1/carts/{cartId}/items',
    operationId: 'addCartItem',
    summary: "Add units of a sku (an existing line's quantity grows)",
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId },
    body: { name: 'CartItemAdd', schema: addBody },
    success: cartChanged,
    problems: cartChangeProblems,
  },
  {
    method: 'put',
    path: '/v1/carts/{cartId}/items/{sku}',
    operationId: 'setCartItem',
    summary: 'Set the quantity of a line (0 removes it)',
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId, sku: skuSchema.describe('The sku of the line') },
    body: { name: 'CartItemSet', schema: setBody },
    success: cartChanged,
    problems: cartChangeProblems,
  },
  {
    method: 'delete',
    path: '/v1/carts/{cartId}/items/{sku}',
    operationId: 'removeCartItem',
    summary: 'Remove a line',
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId, sku: skuSchema.describe('The sku of the line') },
    success: cartChanged,
    problems: ['validation_failed', 'not_found', 'cart_closed'],
  },
  {
    method: 'get',
    path: '/v1/me/cart',
    operationId: 'getMyCart',
    summary: "The customer's open cart, created empty if they have none",
    tag: 'Carts',
    access: ['customer'],
    success: { 200: { description: 'The open cart.', content: cart } },
  },
  {
    method: 'post',
    path: '/v1/me/cart/merge',
    operationId: 'mergeCart',
    summary: "Merge a guest cart into the customer's open cart (after sign-in)",
    description:
      'Same sku: quantities summed, capped at what is available. The guest cart becomes MERGED. ' +
      "Another customer's cart is not found (404).",
    tag: 'Carts',
    access: ['customer'],
    body: { name: 'CartMerge', schema: mergeBody },
    success: { 200: { description: 'The open cart with the guest lines added.', content: cart } },
    problems: ['not_found', 'cart_closed', 'cart_too_large'],
  },

  // --- Checkout
  {
    method: 'post',
    path: '/v1/checkouts',
    operationId: 'createCheckout',
    summary: "Check out items, or the customer's open cart (customer)",
    description:
      'Send either `items` or `cartId` (both or neither: 400 validation_failed). Answers as soon as the ' +
      'order exists, without waiting for payment or shipment. The same Idempotency-Key and body again ' +
      'answer the same order (200, `Idempotent-Replayed: true`); the same key with another body is 409 ' +
      'idempotency_key_reuse. Prices always come from the catalog. Rate-limited per customer (429).',
    tag: 'Checkout',
    access: ['customer'],
    idempotencyKey: true,
    body: { name: 'CheckoutRequest', schema: checkoutRequestSchema },
    success: {
      202: {
        description: 'The order exists; its checkout workflow runs.',
        content: json('CheckoutAccepted', checkoutAcceptedSchema),
        headers: ['Location'],
      },
      200: {
        description: 'A replay: the order this Idempotency-Key and body created before.',
        content: json('CheckoutAccepted', checkoutAcceptedSchema),
        headers: ['Location', 'Idempotent-Replayed'],
      },
    },
    problems: [
      'not_found',
      'idempotency_key_reuse',
      'checkout_in_progress',
      'checkout_failed',
      'too_many_unpaid_orders',
      'cart_closed',
      'unknown_sku',
      'mixed_currency',
      'order_too_large',
      'cart_empty',
      'rate_limited',
    ],
  },

  // --- Orders
  {
    method: 'get',
    path: '/v1/orders',
    operationId: 'listOrders',
    summary: 'Orders, newest first (customers: their own; support and admin: all)',
    description:
      'Filter by `status`; support and admin also by `customerEmail` (exact, case-insensitive). A customer ' +
      'passing `customerEmail` gets 403 rather than a list that only looks filtered.',
    tag: 'Orders',
    access: ANY_ROLE,
    query: orderListQuery,
    success: { 200: { description: 'A page of orders.', content: json('OrderPage', orderPageSchema) } },
    problems: ['forbidden'],
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}',
    operationId: 'getOrder',
    summary: 'One order',
    description: "A customer asking for another customer's order gets 404, never 403.",
    tag: 'Orders',
    access: ANY_ROLE,
    pathParams: { orderId },
    success: { 200: { description: 'The order.', content: order } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/orders/{orderId}/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order before it ships (owner, support, admin)',
    description:
      'Voids or refunds the payment, releases the stock, ends CANCELLED. The body is optional. After ' +
      'SHIPPED, or once terminal: 409 order_not_cancellable.',
    tag: 'Orders',
    access: ANY_ROLE,
    pathParams: { orderId },
    body: { name: 'CancelRequest', schema: cancelBody, required: false },
    success: {
      202: { description: 'Cancelled, or being cancelled.', content: json('CancelAccepted', cancelAcceptedSchema) },
    },
    problems: ['not_found', 'order_not_cancellable'],
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}/notifications',
    operationId: 'listOrderNotifications',
    summary: "The order's emails, oldest first (owner, support, admin)",
    tag: 'Notifications',
    access: ANY_ROLE,
    pathParams: { orderId },
    success: { 200: { description: 'The emails.', content: json('NotificationList', notificationListSchema) } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}/timeline',
    operationId: 'getOrderTimeline',
    summary: "The order's story, oldest first (support, admin)",
    description:
      'Every status change of the order, its payment, refunds and shipment, every email and every ' +
      'support or admin action (refused ones too), each once, with who acted (null for the platform). ' +
      'Customers get 403, even for their own order.',
    tag: 'Orders',
    access: STAFF,
    pathParams: { orderId },
    success: { 200: { description: 'The timeline.', content: json('OrderTimeline', timelineResponseSchema) } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/me/notifications',
    operationId: 'listMyNotifications',
    summary: "The customer's emails, newest first",
    tag: 'Notifications',
    access: ['customer'],
    query: pageQuery,
    success: {
      200: { description: 'A page of emails.', content: json('NotificationPage', notificationPageSchema) },
    },
  },

  // --- Refunds
  {
    method: 'post',
    path: '/v1/orders/{orderId}/refunds',
    operationId: 'requestRefund',
    summary: 'Refund part or all of an order (support, admin)',
    description:
      "A refund that takes the order's refunds (succeeded, pending and awaiting approval) above 50000 " +
      'cents waits for an admin (AWAITING_APPROVAL; REJECTED after 72 hours without a decision). The same ' +
      'Idempotency-Key again answers the same refund (200).',
    tag: 'Refunds',
    access: STAFF,
    pathParams: { orderId },
    idempotencyKey: true,
    body: { name: 'RefundRequest', schema: refundBody },
    success: {
      202: { description: 'The refund is requested.', content: refundState },
      200: { description: 'A replay: the refund this Idempotency-Key requested before.', content: refundState },
    },
    problems: ['not_found', 'idempotency_key_reuse', 'refund_exceeds_captured', 'restock_requires_full_refund'],
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}/refunds',
    operationId: 'listRefunds',
    summary: "The order's refunds, oldest first (support, admin)",
    tag: 'Refunds',
    access: STAFF,
    pathParams: { orderId },
    success: { 200: { description: 'The refunds.', content: json('RefundList', refundListSchema) } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/orders/{orderId}/refunds/{refundId}',
    operationId: 'getRefund',
    summary: 'One refund (customers: of their own orders)',
    tag: 'Refunds',
    access: ANY_ROLE,
    pathParams: { orderId, refundId },
    success: { 200: { description: 'The refund.', content: json('Refund', refundSchema) } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/orders/{orderId}/refunds/{refundId}/approve',
    operationId: 'approveRefund',
    summary: 'Approve a refund awaiting approval (admin; not the one who requested it)',
    tag: 'Refunds',
    access: ['admin'],
    pathParams: { orderId, refundId },
    success: { 200: { description: 'The decision is taken.', content: refundState } },
    problems: ['approval_by_requester', 'not_found', 'refund_not_awaiting_approval'],
  },
  {
    method: 'post',
    path: '/v1/orders/{orderId}/refunds/{refundId}/reject',
    operationId: 'rejectRefund',
    summary: 'Reject a refund awaiting approval (admin; not the one who requested it)',
    tag: 'Refunds',
    access: ['admin'],
    pathParams: { orderId, refundId },
    success: { 200: { description: 'The decision is taken.', content: refundState } },
    problems: ['approval_by_requester', 'not_found', 'refund_not_awaiting_approval'],
  },

  // --- Webhooks
  {
    method: 'post',
    path: '/v1/webhooks/payments',
    operationId: 'receivePaymentEvent',
    summary: "The payment provider's signed events",
    description:
      'A hint to ask the provider, never proof of payment. Duplicate deliveries are acknowledged and ' +
      'change nothing. A 5xx asks the provider to deliver again.',
    tag: 'Webhooks',
    access: 'public',
    signed: true,
    body: { name: 'PaymentEvent', schema: paymentEventSchema },
    success: { 200: { description: 'Received.', content: json('WebhookAck', webhookAckSchema) } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/carrier',
    operationId: 'receiveCarrierEvent',
    summary: "The carrier's signed parcel events",
    description:
      'PICKED_UP and IN_TRANSIT move the order to SHIPPED, DELIVERED to DELIVERED, RETURNED refunds in ' +
      'full, restocks and ends RETURNED. Duplicate or out-of-order deliveries are harmless.',
    tag: 'Webhooks',
    access: 'public',
    signed: true,
    body: { name: 'CarrierEvent', schema: carrierEventSchema },
    success: { 200: { description: 'Received.', content: json('WebhookAck', webhookAckSchema) } },
  },
];

const providerPaymentId = paymentIdSchema.describe("The simulated provider's payment id");

/** Served only while the simulated payment provider is configured (the default outside production). */
export const SIMULATED_BANK_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/sim/3ds/{providerPaymentId}',
    operationId: 'getSimulatedChallenge',
    summary: "The simulated bank's 3-D Secure challenge page",
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The challenge page ("Confirm payment", "Fail payment").', content: html } },
    problems: ['not_found', 'payment_already_settled'],
  },
  {
    method: 'post',
    path: '/sim/3ds/{providerPaymentId}/confirm',
    operationId: 'confirmSimulatedChallenge',
    summary: 'Pass the challenge: the simulated provider captures and sends its signed webhook',
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The result page.', content: html } },
    problems: ['not_found', 'payment_already_settled'],
  },
  {
    method: 'post',
    path: '/sim/3ds/{providerPaymentId}/fail',
    operationId: 'failSimulatedChallenge',
    summary: 'Fail the challenge: the simulated provider declines and sends its signed webhook',
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The result page.', content: html } },
    problems: ['not_found', 'payment_already_settled'],
  },
];
