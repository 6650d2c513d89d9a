/**
 * Carts (guests and customers): create, read, add, set and remove lines. Changes are refused with
 * the cart's problem codes and change nothing; every answer is the cart as it now reads, priced at
 * the catalog's current prices.
 */
import { z } from 'zod';
import {
  CART_MAX_QUANTITY,
  CartChangeRefused,
  createCartRepository,
  type CartActor,
  type LineChange,
} from '../../prisma/repositories/carts';
import { confirmClaims, type TokenClaims } from '../auth/tokens';
import { cartProblem, mayUseCart } from '../carts/cart-access';
import { skuSchema } from '../checkout/request';
import { cartDto } from '../http/cart-dto';
import { clientAddressOf } from '../http/client-address';
import { problems } from '../http/problem';
import { cartSchema } from '../../contract/response-schemas';
import { readJsonBody, validate } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const cartIdSchema = z.uuid();
const addBody = z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(CART_MAX_QUANTITY) });
const setBody = z.object({ quantity: z.number().int().min(0).max(CART_MAX_QUANTITY) });

/** Who changes or reads a cart: the token's claims, which the cart's statement checks; null for a guest. */
const actorOf = (claims: TokenClaims | undefined): CartActor | null =>
  claims ? { userId: claims.id, role: claims.role, tokenVersion: claims.tokenVersion } : null;

const cartPath = cartIdSchema.describe("The cart's id (a guest cart's id is its key)");
const linePath = skuSchema.describe('The sku of the line');
const cart = json('Cart', cartSchema);
/** Every answer that changes a cart: the cart as it now reads. */
const cartChanged = { 200: { description: 'The cart as it now reads.', content: cart } };
const cartChangeProblems = ['not_found', 'cart_closed', 'unknown_sku', 'insufficient_stock', 'cart_too_large'] as const;

const carts = routeGroup({
  prefix: '/v1/carts',
  guard: 'optional-token',
  setup: ({ deps, tokens }) => {
    const repository = createCartRepository(deps.db);
    const reminders = deps.cartReminders;

    /** Runs a change; a refusal becomes its problem+json. */
    const change = async (work: () => Promise<LineChange>): Promise<LineChange> => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof CartChangeRefused) throw cartProblem(error.refusal);
        throw error;
      }
    };
    const current = async (cartId: string) => {
      const cart = await repository.view(cartId);
      if (!cart) throw problems.notFound('No such cart.');
      return cartDto(cart);
    };
    /**
     * The cart after a change (read back by the change's own statement), with its abandoned-cart
     * timer started by its first line and ended when it is emptied (customer carts only); other
     * changes the timer reads from the cart when it fires.
     */
    const changed = async ({ cart, linesBefore }: LineChange) => {
      if (cart.customerId !== null) {
        if (cart.items.length === 0) await reminders.ended(cart.id, cart.customerId);
        else if (linesBefore === 0) await reminders.changed(cart.id, cart.customerId);
      }
      return cartDto(cart);
    };

    return {
      carts: repository,
      tokens,
      change,
      current,
      changed,
      clientAddress: clientAddressOf(deps.config.TRUSTED_PROXIES),
      rateLimits: deps.rateLimits,
    };
  },
});

export const cartRoutes = carts.of([
  carts.route({
    method: 'post',
    path: '/v1/carts',
    operationId: 'createCart',
    summary: "Create a cart: a guest cart, or with a customer's token their open cart",
    description:
      'A customer who already has an open cart gets it back (200) instead of a new one (201). Guest carts ' +
      'are rate-limited per client address (429 with Retry-After).',
    tag: 'Carts',
    access: 'optional-token',
    success: {
      201: { description: 'A new cart.', content: cart, headers: ['Location'] },
      200: { description: "The customer's existing open cart.", content: cart, headers: ['Location'] },
    },
    problems: ['rate_limited'],
    handler:
      ({ carts, tokens, current, clientAddress, rateLimits }) =>
      async (c) => {
        const claims = c.get('claims');
        const principal = claims ? await confirmClaims(claims, tokens) : undefined;
        if (principal === null) throw problems.unauthorized();
        // Only customers own carts; staff tokens make a guest cart like anyone without one.
        const owner = principal?.role === 'customer' ? principal.id : null;
        if (owner === null) await rateLimits.consumeGuestCart(clientAddress(c));
        const { cartId, created } = await carts.create(owner);
        c.header('Location', `/v1/carts/${cartId}`);
        return c.json(await current(cartId), created ? 201 : 200);
      },
  }),
  carts.route({
    method: 'get',
    path: '/v1/carts/{cartId}',
    operationId: 'getCart',
    summary: 'One cart',
    description: "Another customer's cart is not found (404).",
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId: cartPath },
    success: { 200: { description: 'The cart.', content: cart } },
    problems: ['validation_failed', 'not_found'],
    handler:
      ({ carts }) =>
      async (c) => {
        const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
        const claims = c.get('claims');
        const read = await carts.readAs(cartId, actorOf(claims));
        if (read.kind === 'unauthorized') throw cartProblem(read);
        // Someone else's customer cart does not exist for the caller (404, never 403).
        if (!read.cart || !mayUseCart(read.cart.customerId, claims)) throw cartProblem({ kind: 'not_found' });
        return c.json(cartDto(read.cart));
      },
  }),
  carts.route({
    method: 'post',
    path: '/v1/carts/{cartId}/items',
    operationId: 'addCartItem',
    summary: "Add units of a sku (an existing line's quantity grows)",
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId: cartPath },
    body: { name: 'CartItemAdd', schema: addBody },
    success: cartChanged,
    problems: cartChangeProblems,
    handler:
      ({ carts, change, changed }) =>
      async (c) => {
        const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
        const body = await readJsonBody(c, addBody);
        const done = await change(() => carts.addItem(cartId, actorOf(c.get('claims')), body.sku, body.quantity));
        return c.json(await changed(done));
      },
  }),
  carts.route({
    method: 'put',
    path: '/v1/carts/{cartId}/items/{sku}',
    operationId: 'setCartItem',
    summary: 'Set the quantity of a line (0 removes it)',
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId: cartPath, sku: linePath },
    body: { name: 'CartItemSet', schema: setBody },
    success: cartChanged,
    problems: cartChangeProblems,
    handler:
      ({ carts, change, changed }) =>
      async (c) => {
        const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
        const sku = validate(skuSchema, c.req.param('sku'), 'sku');
        const body = await readJsonBody(c, setBody);
        const done = await change(() => carts.setItem(cartId, actorOf(c.get('claims')), sku, body.quantity));
        return c.json(await changed(done));
      },
  }),
  carts.route({
    method: 'delete',
    path: '/v1/carts/{cartId}/items/{sku}',
    operationId: 'removeCartItem',
    summary: 'Remove a line',
    tag: 'Carts',
    access: 'optional-token',
    pathParams: { cartId: cartPath, sku: linePath },
    success: cartChanged,
    problems: ['validation_failed', 'not_found', 'cart_closed'],
    handler:
      ({ carts, change, changed }) =>
      async (c) => {
        const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
        const sku = validate(skuSchema, c.req.param('sku'), 'sku');
        const done = await change(() => carts.removeItem(cartId, actorOf(c.get('claims')), sku));
        return c.json(await changed(done));
      },
  }),
]);
