/**
 * Requests that would change the world if their sender were allowed to make them: the targets of
 * the forged-token and wrong-role properties. Each is otherwise well-formed, so the only reason it
 * is refused is who sends it.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../../prisma/repositories/users';
import { checkoutBody } from '../api-harness';
import { jsonText, type HostileRequest } from './hostile-client';
import type { World } from './world';

export interface GuardedRoute {
  name: string;
  /** Roles allowed to make this request (docs/api.md). */
  roles: readonly Role[];
  /** The request without Authorization. */
  build(): HostileRequest;
}

const json = { 'Content-Type': 'application/json' };

export function guardedRoutes(w: World): GuardedRoute[] {
  const { paid, awaiting3ds, big } = w.orders;
  return [
    {
      name: 'checkout of a real product',
      roles: ['customer'],
      build: () => ({
        method: 'POST',
        path: '/v1/checkouts',
        headers: { ...json, 'Idempotency-Key': randomUUID() },
        body: jsonText(checkoutBody([{ sku: w.skus.stocked, quantity: 1 }])),
      }),
    },
    {
      name: 'cancel the paid order',
      roles: ['customer', 'support', 'admin'],
      build: () => ({ method: 'POST', path: `/v1/orders/${paid.id}/cancel`, headers: json, body: '{}' }),
    },
    {
      name: 'cancel the 3-D Secure order',
      roles: ['customer', 'support', 'admin'],
      build: () => ({ method: 'POST', path: `/v1/orders/${awaiting3ds.id}/cancel` }),
    },
    {
      name: 'refund the paid order',
      roles: ['support', 'admin'],
      build: () => ({
        method: 'POST',
        path: `/v1/orders/${paid.id}/refunds`,
        headers: { ...json, 'Idempotency-Key': randomUUID() },
        body: jsonText({ amountCents: 100, reason: 'hostile', restock: true }),
      }),
    },
    {
      name: 'approve the waiting refund',
      roles: ['admin'],
      build: () => ({ method: 'POST', path: `/v1/orders/${big.id}/refunds/${w.refunds.awaitingApproval.id}/approve` }),
    },
    {
      name: 'reject the waiting refund',
      roles: ['admin'],
      build: () => ({ method: 'POST', path: `/v1/orders/${big.id}/refunds/${w.refunds.awaitingApproval.id}/reject` }),
    },
    {
      name: 'set stock',
      roles: ['admin'],
      build: () => ({
        method: 'PUT',
        path: `/v1/admin/inventory/${w.skus.stocked}`,
        headers: json,
        body: jsonText({ onHand: 1 }),
      }),
    },
    { name: 'read the audit trail', roles: ['admin'], build: () => ({ method: 'GET', path: '/v1/admin/audit' }) },
    {
      name: 'list orders',
      roles: ['customer', 'support', 'admin'],
      build: () => ({ method: 'GET', path: '/v1/orders' }),
    },
    {
      name: 'read an order',
      roles: ['customer', 'support', 'admin'],
      build: () => ({ method: 'GET', path: `/v1/orders/${paid.id}` }),
    },
    {
      name: 'read a refund',
      roles: ['customer', 'support', 'admin'],
      build: () => ({ method: 'GET', path: `/v1/orders/${paid.id}/refunds/${w.refunds.succeeded.id}` }),
    },
  ];
}

export function withAuthorization(req: HostileRequest, header: string | undefined): HostileRequest {
  return header === undefined ? req : { ...req, headers: { ...req.headers, Authorization: header } };
}
