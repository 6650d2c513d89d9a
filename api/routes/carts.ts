/**
 * Carts (guests and customers): create, read, add, set and remove lines. Changes are refused with
 * the cart's problem codes and change nothing; every answer is the cart as it now reads, priced at
 * the catalog's current prices.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  CART_MAX_QUANTITY,
  CartChangeRefused,
  createCartRepository,
  type CartActor,
  type LineChange,
} from '../../prisma/repositories/carts';
import { optionalClaims, type OptionalClaimsVariables } from '../auth/middleware';
import { confirmClaims, type TokenClaims, type TokenSettings } from '../auth/tokens';
import { cartProblem, mayUseCart } from '../carts/cart-access';
import { skuSchema } from '../checkout/request';
import type { AppDependencies } from '../deps';
import { cartDto } from '../http/cart-dto';
import { problems } from '../http/problem';
import { readJsonBody, validate } from '../http/validation';

export const cartIdSchema = z.uuid();
export const addBody = z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(CART_MAX_QUANTITY) });
export const setBody = z.object({ quantity: z.number().int().min(0).max(CART_MAX_QUANTITY) });

/** Who changes or reads a cart: the token's claims, which the cart's statement checks; null for a guest. */
const actorOf = (claims: TokenClaims | undefined): CartActor | null =>
  claims ? { userId: claims.id, role: claims.role, tokenVersion: claims.tokenVersion } : null;

export function cartRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const carts = createCartRepository(deps.db);
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
    const cart = await carts.view(cartId);
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

  return new Hono<{ Variables: OptionalClaimsVariables }>()
    .use(optionalClaims(tokens))
    .post('/', async (c) => {
      const claims = c.get('claims');
      const principal = claims ? await confirmClaims(claims, tokens) : undefined;
      if (principal === null) throw problems.unauthorized();
      // Only customers own carts; staff tokens make a guest cart like anyone without one.
      const owner = principal?.role === 'customer' ? principal.id : null;
      const { cartId, created } = await carts.create(owner);
      c.header('Location', `/v1/carts/${cartId}`);
      return c.json(await current(cartId), created ? 201 : 200);
    })
    .get('/:cartId', async (c) => {
      const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
      const claims = c.get('claims');
      const read = await carts.readAs(cartId, actorOf(claims));
      if (read.kind === 'unauthorized') throw cartProblem(read);
      // Someone else's customer cart does not exist for the caller (404, never 403).
      if (!read.cart || !mayUseCart(read.cart.customerId, claims)) throw cartProblem({ kind: 'not_found' });
      return c.json(cartDto(read.cart));
    })
    .post('/:cartId/items', async (c) => {
      const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
      const body = await readJsonBody(c, addBody);
      const done = await change(() => carts.addItem(cartId, actorOf(c.get('claims')), body.sku, body.quantity));
      return c.json(await changed(done));
    })
    .put('/:cartId/items/:sku', async (c) => {
      const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
      const sku = validate(skuSchema, c.req.param('sku'), 'sku');
      const body = await readJsonBody(c, setBody);
      const done = await change(() => carts.setItem(cartId, actorOf(c.get('claims')), sku, body.quantity));
      return c.json(await changed(done));
    })
    .delete('/:cartId/items/:sku', async (c) => {
      const cartId = validate(cartIdSchema, c.req.param('cartId'), 'cart id');
      const sku = validate(skuSchema, c.req.param('sku'), 'sku');
      const done = await change(() => carts.removeItem(cartId, actorOf(c.get('claims')), sku));
      return c.json(await changed(done));
    });
}
