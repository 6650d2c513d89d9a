/**
 * The simulated bank's 3-D Secure challenge (docs/api.md#the-simulated-bank-3-d-secure), mounted only while the simulated
 * payment provider is configured. Confirm or fail settles the charge in the simulated provider's
 * ledger, then the provider sends its signed webhook to this API, as a real one would: nothing
 * here touches an order or a workflow directly, so the API's only way in stays the webhook, and the
 * checkout still pays only what the provider reports (verifyPayment).
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { z } from 'zod';
import { createSimPaymentLedger } from '../../prisma/repositories/sim-payment-ledger';
import { ProblemError, problems } from '../http/problem';
import { html } from '../openapi/operation';
import { challengePage, PAGE_CSP, resultPage } from '../sim/challenge-pages';
import { sendPaymentWebhook } from '../sim/provider-webhook';
import { isCrossSite } from '../../web/csrf';
import { routeGroup } from './define';

const paymentIdSchema = z.string().regex(/^[A-Za-z0-9_]{1,255}$/);

const unknownPayment = () => problems.notFound('No payment of the simulated provider has this id.');
const alreadySettled = () =>
  problems.conflict(
    'payment_already_settled',
    'Payment already settled',
    'This payment no longer waits for 3-D Secure.',
  );

const crossSite = () =>
  new ProblemError(403, 'forbidden', 'Forbidden', 'A form of another site cannot settle this payment.');

/** The path's payment id; one that cannot be the simulator's is as unknown as any other. */
function paymentIdOf(c: Context): string {
  const parsed = paymentIdSchema.safeParse(c.req.param('providerPaymentId'));
  if (!parsed.success) throw unknownPayment();
  return parsed.data;
}

/**
 * The API's own base URL: PUBLIC_BASE_URL, else the local address this request's socket arrived
 * on (never the Host header, which the client chooses: it must not steer a signed webhook elsewhere).
 */
function ownBaseUrl(c: Context, configured: string | undefined): string {
  if (configured) return configured;
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
  if (!socket?.localAddress || !socket.localPort)
    throw new Error('PUBLIC_BASE_URL is not set and no local address is known');
  const host = socket.localAddress.replace(/^::ffff:/, '');
  return `http://${host.includes(':') ? `[${host}]` : host}:${socket.localPort}`;
}

const providerPaymentId = paymentIdSchema.describe("The simulated provider's payment id");
const challengeProblems = ['not_found', 'payment_already_settled'] as const;
const settleProblems = [...challengeProblems, 'forbidden'] as const;

/** Served only while the simulated payment provider is configured (the default outside production). */
const bank = routeGroup({
  prefix: '/sim/3ds',
  setup: ({ deps: { db, config, logger } }) => {
    const ledger = createSimPaymentLedger(db);

    const settle = async (c: Context, approved: boolean) => {
      // The pages' rule (web/csrf.ts): another site's form must not settle a shopper's payment.
      if (isCrossSite(c)) throw crossSite();
      const id = paymentIdOf(c);
      const outcome = await ledger.settle(id, approved);
      if (outcome === 'not_found') throw unknownPayment();
      if (outcome === 'already_settled') throw alreadySettled();
      const delivered = await sendPaymentWebhook(
        { baseUrl: ownBaseUrl(c, config.PUBLIC_BASE_URL), secret: config.PAYMENT_WEBHOOK_SECRET },
        id,
        approved,
      );
      if (!delivered) logger.warn({ providerPaymentId: id }, 'simulated provider could not deliver its webhook');
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      return c.html(resultPage(approved, delivered));
    };

    return { ledger, settle };
  },
});

export const sim3dsRoutes = bank.of([
  bank.route({
    method: 'get',
    path: '/sim/3ds/{providerPaymentId}',
    operationId: 'getSimulatedChallenge',
    summary: "The simulated bank's 3-D Secure challenge page",
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The challenge page ("Confirm payment", "Fail payment").', content: html } },
    problems: challengeProblems,
    handler:
      ({ ledger }) =>
      async (c) => {
        const id = paymentIdOf(c);
        const charge = await ledger.findCharge(id);
        if (!charge) throw unknownPayment();
        if (charge.status !== 'requires_action') throw alreadySettled();
        c.header('Content-Security-Policy', PAGE_CSP);
        c.header('Cache-Control', 'no-store');
        return c.html(challengePage(charge));
      },
  }),
  bank.route({
    method: 'post',
    path: '/sim/3ds/{providerPaymentId}/confirm',
    operationId: 'confirmSimulatedChallenge',
    summary: 'Pass the challenge: the simulated provider captures and sends its signed webhook',
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The result page.', content: html } },
    problems: settleProblems,
    handler:
      ({ settle }) =>
      (c) =>
        settle(c, true),
  }),
  bank.route({
    method: 'post',
    path: '/sim/3ds/{providerPaymentId}/fail',
    operationId: 'failSimulatedChallenge',
    summary: 'Fail the challenge: the simulated provider declines and sends its signed webhook',
    tag: 'Simulated bank',
    access: 'public',
    pathParams: { providerPaymentId },
    success: { 200: { description: 'The result page.', content: html } },
    problems: settleProblems,
    handler:
      ({ settle }) =>
      (c) =>
        settle(c, false),
  }),
]);
