/**
 * Carts: lines only, never prices or stock. Every read prices the lines at the catalog's current
 * prices and shows what is available now; checkout reserves.
 *
 * Every change takes the cart's row lock first (SELECT ... FOR UPDATE), so adds, merges and
 * checkouts of one cart run one after another: none can lose or double a line, and a cart that
 * closed meanwhile is seen as closed.
 */
import { randomUUID } from 'node:crypto';
import { inTransaction, type DbClient, type Prisma } from '../client';
import { CART_MAX_LINES, CART_MAX_QUANTITY } from '../../domain/cart-limits';
import type { CartStatus } from '../../domain/statuses';
import { availableUnits } from './catalog';

export { CART_MAX_LINES, CART_MAX_QUANTITY };

export interface CartLineView {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  available: number;
}

export interface CartView {
  id: string;
  customerId: string | null;
  status: CartStatus;
  currency: string | null;
  items: CartLineView[];
  subtotalCents: number;
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Why a change was refused; the API maps each to its problem code. */
export type CartRefusal =
  | { kind: 'not_found' }
  | { kind: 'closed'; status: CartStatus }
  | { kind: 'unknown_sku'; sku: string }
  | { kind: 'insufficient_stock'; sku: string; available: number }
  | { kind: 'too_large' }
  /** The caller's token is no longer its user's (role changed, user deleted): nothing changed. */
  | { kind: 'unauthorized' };

export class CartChangeRefused extends Error {
  constructor(readonly refusal: CartRefusal) {
    super(`cart change refused: ${refusal.kind}`);
  }
}

/**
 * One row of the cart read (the database function cart_view_rows): the cart, and one of its lines
 * with its product and stock (line columns null: no line).
 */
interface ViewRow {
  /** Null on the one row of a read that found no cart (its LEFT JOIN's empty side). */
  id: string | null;
  customer_id: string | null;
  status: CartStatus;
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
  sku: string | null;
  quantity: number | null;
  name: string | null;
  price_cents: number | null;
  currency: string | null;
  on_hand: number | null;
  reserved: number | null;
}

/**
 * Who changes or reads a cart: the claims of the caller's token, which the cart's own statement
 * checks against the user's current role and token version (the check the auth middleware makes
 * for other routes, here without a round trip of its own); null for a guest, who has no token.
 */
export interface CartActor {
  userId: string;
  role: string;
  tokenVersion: number;
}

/** What a cart read found: the cart (null: no such cart), or a token that is no longer current. */
export type CartRead = { kind: 'cart'; cart: CartView | null } | { kind: 'unauthorized' };

/** The cart of `rows` (cart_view_rows, in its order), or null when there are none. */
function viewOf(rows: readonly ViewRow[]): CartView | null {
  const cart = rows[0];
  if (cart?.id == null) return null;
  // A line whose product no longer exists is not shown (and has no price).
  const priced = rows.filter(
    (r): r is ViewRow & { sku: string; quantity: number; name: string; price_cents: number; currency: string } =>
      r.sku !== null && r.name !== null,
  );
  const items: CartLineView[] = priced.map((r) => ({
    sku: r.sku,
    name: r.name,
    quantity: r.quantity,
    unitPriceCents: r.price_cents,
    lineTotalCents: r.price_cents * r.quantity,
    available: availableUnits(r.on_hand === null ? null : { onHand: r.on_hand, reserved: r.reserved ?? 0 }),
  }));
  return {
    id: cart.id,
    customerId: cart.customer_id,
    status: cart.status,
    currency: priced[0]?.currency ?? null,
    items,
    subtotalCents: items.reduce((sum, i) => sum + i.lineTotalCents, 0),
    orderId: cart.order_id,
    createdAt: cart.created_at,
    updatedAt: cart.updated_at,
  };
}

interface LockedCart {
  id: string;
  customer_id: string | null;
  status: CartStatus;
  order_id: string | null;
}

async function lockCart(tx: Prisma.TransactionClient, cartId: string): Promise<LockedCart | undefined> {
  const [row] = await tx.$queryRaw<LockedCart[]>`
    SELECT id, customer_id, status::text AS status, order_id FROM carts WHERE id = ${cartId}::uuid FOR UPDATE`;
  return row;
}

/** Units of `sku` that can be sold now (on hand minus active reservations); undefined: no such product. */
async function availableOf(tx: Prisma.TransactionClient, sku: string): Promise<number | undefined> {
  const [row] = await tx.$queryRaw<{ available: number }[]>`
    SELECT GREATEST(COALESCE(i.on_hand - i.reserved, 0), 0)::int AS available
    FROM products p LEFT JOIN inventory i ON i.sku = p.sku WHERE p.sku = ${sku}`;
  return row?.available;
}

/** What a line change did: the cart's line count before it (0: the cart was empty), and the cart now. */
export interface LineChange {
  linesBefore: number;
  cart: CartView;
}

/** What cart_change_line (and cart_change, which adds 'unauthorized') answers. */
interface LineOutcome {
  outcome: 'changed' | 'not_found' | 'closed' | 'too_large' | 'unknown_sku' | 'insufficient_stock' | 'unauthorized';
  cart_status: CartStatus | null;
  available: number | null;
}

interface LineChangeRow extends ViewRow, LineOutcome {
  lines_before: number | null;
}

/** The refusal of a change the database function did not make (any outcome but 'changed'). */
function refusalOf(row: LineOutcome | undefined, sku: string): CartRefusal {
  switch (row?.outcome) {
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'closed':
      return { kind: 'closed', status: row.cart_status ?? 'OPEN' };
    case 'too_large':
      return { kind: 'too_large' };
    case 'unknown_sku':
      return { kind: 'unknown_sku', sku };
    case 'insufficient_stock':
      return { kind: 'insufficient_stock', sku, available: row.available ?? 0 };
    default:
      return { kind: 'not_found' };
  }
}

/**
 * Sets the line of `sku` to `quantity` inside the caller's transaction, through cart_change_line:
 * the one owner of the line rules (row lock, owner, quantity and line limits, stock), so merges
 * apply exactly the rules of a customer's own change. A refusal throws, rolling the caller back.
 */
async function setLineIn(
  tx: Prisma.TransactionClient,
  change: { cartId: string; actor: string; sku: string; quantity: number },
): Promise<void> {
  const [row] = await tx.$queryRaw<LineOutcome[]>`
    SELECT outcome, cart_status, available
    FROM cart_change_line(${change.cartId}::uuid, ${change.actor}::uuid, ${change.sku}, ${change.quantity}::int,
                          false, ${CART_MAX_QUANTITY}::int, ${CART_MAX_LINES}::int)`;
  if (row?.outcome !== 'changed') throw new CartChangeRefused(refusalOf(row, change.sku));
}

/**
 * One line change, its caller's token check and the cart read back, as one statement: the
 * database function cart_change (prisma/migrations, the baseline) checks the token, then
 * cart_change_line takes the cart's row lock, checks the actor and the limits and writes. One round
 * trip instead of an interactive transaction's several (docs/performance.md#carts).
 */
async function changeLine(
  db: DbClient,
  change: { cartId: string; actor: CartActor | null; sku: string; quantity: number; add: boolean },
): Promise<LineChange> {
  const { cartId, actor, sku, quantity, add } = change;
  const rows = await db.$queryRaw<LineChangeRow[]>`
    SELECT outcome, cart_status, available, lines_before, id, customer_id, status, order_id, created_at,
           updated_at, sku, quantity, name, price_cents, currency, on_hand, reserved
    FROM cart_change(${cartId}::uuid, ${actor?.userId ?? null}::uuid, ${actor?.role ?? null},
                     ${actor?.tokenVersion ?? null}::int, ${sku}, ${quantity}::int, ${add},
                     ${CART_MAX_QUANTITY}::int, ${CART_MAX_LINES}::int)`;
  const row = rows[0];
  if (row?.outcome !== 'changed') throw new CartChangeRefused(refusalOf(row, sku));
  const cart = viewOf(rows);
  if (!cart) throw new Error(`cart ${cartId} changed but did not read back`);
  return { linesBefore: row.lines_before ?? 0, cart };
}

async function quantityOf(tx: Prisma.TransactionClient, cartId: string, sku: string): Promise<number> {
  const line = await tx.cartLine.findUnique({ where: { cartId_sku: { cartId, sku } }, select: { quantity: true } });
  return line?.quantity ?? 0;
}

/** The customer's OPEN cart, created empty when they have none (one per customer: a unique index). */
async function openCartOf(tx: DbClient, customerId: string): Promise<string> {
  await tx.$executeRaw`
    INSERT INTO carts (id, customer_id) VALUES (${randomUUID()}::uuid, ${customerId}::uuid)
    ON CONFLICT (customer_id) WHERE status = 'OPEN' DO NOTHING`;
  const cart = await tx.cart.findFirst({ where: { customerId, status: 'OPEN' }, select: { id: true } });
  if (!cart) throw new Error(`no open cart for customer ${customerId} after creating one`);
  return cart.id;
}

export function createCartRepository(db: DbClient) {
  /** The cart priced now, in one round trip (cart_view_rows joins the cart, lines, products and stock). */
  const view = async (cartId: string): Promise<CartView | null> =>
    viewOf(
      await db.$queryRaw<ViewRow[]>`
        SELECT v.* FROM cart_view_rows(${cartId}::uuid) WITH ORDINALITY AS v ORDER BY v.ordinality`,
    );

  return {
    view,

    /**
     * The cart as `actor` may read it, in one round trip: the actor's token checked and the cart
     * read in one statement. Whether the actor may use the cart is the caller's rule (its owner is
     * in the view).
     */
    async readAs(cartId: string, actor: CartActor | null): Promise<CartRead> {
      const rows = await db.$queryRaw<(ViewRow & { token_current: boolean })[]>`
        SELECT a.token_current, v.*
        FROM (SELECT ${actor?.userId ?? null}::uuid IS NULL
                     OR token_is_current(${actor?.userId ?? null}::uuid, ${actor?.role ?? null},
                                         ${actor?.tokenVersion ?? null}::int) AS token_current) AS a
        LEFT JOIN LATERAL cart_view_rows(${cartId}::uuid) WITH ORDINALITY AS v ON a.token_current
        ORDER BY v.ordinality`;
      if (rows[0]?.token_current !== true) return { kind: 'unauthorized' };
      return { kind: 'cart', cart: viewOf(rows) };
    },

    /** A new cart: a guest's (no customer) or, for a customer, their OPEN cart (created if none). */
    async create(customerId: string | null): Promise<{ cartId: string; created: boolean }> {
      if (customerId === null) {
        const cartId = randomUUID();
        await db.cart.create({ data: { id: cartId }, select: { id: true } });
        return { cartId, created: true };
      }
      const existing = await db.cart.findFirst({ where: { customerId, status: 'OPEN' }, select: { id: true } });
      if (existing) return { cartId: existing.id, created: false };
      return { cartId: await openCartOf(db, customerId), created: true };
    },

    /** The customer's OPEN cart's id, created empty if they have none. */
    openCartOf: (customerId: string): Promise<string> => openCartOf(db, customerId),

    /**
     * Adds `quantity` units of `sku` (summed with the line's, within the cart's limits). `actor` is
     * the caller's token (null: a guest); a customer's cart is refused as not_found to anyone else,
     * and a token that is no longer current as unauthorized, before anything changes.
     */
    addItem: (cartId: string, actor: CartActor | null, sku: string, quantity: number): Promise<LineChange> =>
      changeLine(db, { cartId, actor, sku, quantity, add: true }),

    /** Sets the line of `sku` to `quantity`; 0 removes it. */
    setItem: (cartId: string, actor: CartActor | null, sku: string, quantity: number): Promise<LineChange> =>
      changeLine(db, { cartId, actor, sku, quantity, add: false }),

    removeItem: (cartId: string, actor: CartActor | null, sku: string): Promise<LineChange> =>
      changeLine(db, { cartId, actor, sku, quantity: 0, add: false }),

    /**
     * Moves a guest cart's lines into the customer's OPEN cart (same sku: quantities summed, capped
     * at what is available) and marks the guest cart MERGED. Both rows are locked in id order, so
     * two merges, or a merge and an add, cannot interleave. Returns the customer's cart id.
     */
    async mergeInto(customerId: string, guestCartId: string): Promise<string> {
      return inTransaction(db, async (tx) => {
        const targetId = await openCartOf(tx, customerId);
        if (targetId === guestCartId) return targetId;
        const [first, second] = [targetId, guestCartId].sort();
        const locked = new Map<string, LockedCart | undefined>();
        for (const id of [first!, second!]) locked.set(id, await lockCart(tx, id));
        const guest = locked.get(guestCartId);
        if (!guest || (guest.customer_id !== null && guest.customer_id !== customerId)) {
          throw new CartChangeRefused({ kind: 'not_found' });
        }
        if (guest.status !== 'OPEN') throw new CartChangeRefused({ kind: 'closed', status: guest.status });
        const lines = await tx.cartLine.findMany({
          where: { cartId: guestCartId },
          select: { sku: true, quantity: true },
        });
        // The merge's own rule (docs/api.md: summed, capped at what is available) picks the
        // quantity; cart_change_line applies the cart's rules to it (a new line beyond the limit
        // refuses the whole merge).
        for (const line of lines) {
          const current = await quantityOf(tx, targetId, line.sku);
          const available = (await availableOf(tx, line.sku)) ?? 0;
          const wanted = Math.min(current + line.quantity, available, CART_MAX_QUANTITY);
          if (wanted > 0 && wanted !== current) {
            await setLineIn(tx, { cartId: targetId, actor: customerId, sku: line.sku, quantity: wanted });
          }
        }
        await tx.cart.update({ where: { id: guestCartId }, data: { status: 'MERGED' }, select: { id: true } });
        return targetId;
      });
    },

    /** The lines a checkout of this cart orders, if it is `customerId`'s OPEN cart. */
    async linesForCheckout(
      cartId: string,
      customerId: string,
    ): Promise<{ sku: string; quantity: number }[] | undefined> {
      const cart = await db.cart.findUnique({
        where: { id: cartId },
        select: { customerId: true, status: true, lines: { select: { sku: true, quantity: true } } },
      });
      if (!cart || cart.customerId !== customerId || cart.status !== 'OPEN') return undefined;
      return cart.lines;
    },

    /**
     * Closes the cart as the order's (CHECKED_OUT), in the caller's transaction with the order's
     * insert. Idempotent for the same order; false when the cart is no longer OPEN for it (another
     * checkout or a merge closed it), and the caller must roll the order back.
     */
    async closeForOrder(cartId: string, orderId: string): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const cart = await lockCart(tx, cartId);
        if (!cart) return false;
        if (cart.status === 'CHECKED_OUT') return cart.order_id === orderId;
        if (cart.status !== 'OPEN') return false;
        await tx.cart.update({ where: { id: cartId }, data: { status: 'CHECKED_OUT', orderId }, select: { id: true } });
        return true;
      });
    },

    /**
     * Deletes the guest carts without lines that nothing changed since `changedBefore` (a line
     * change moves `updated_at`, and locks the row first, so a cart being filled is never taken);
     * returns how many. Customer carts and carts that became an order stay.
     */
    async deleteEmptyGuestCarts(changedBefore: Date): Promise<number> {
      const { count } = await db.cart.deleteMany({
        where: { customerId: null, orderId: null, updatedAt: { lt: changedBefore }, lines: { none: {} } },
      });
      return count;
    },

    /** When the cart last changed, if it is OPEN with at least one line; null otherwise. */
    async lastChangeOfOpenCart(cartId: string): Promise<Date | null> {
      const cart = await db.cart.findFirst({
        where: { id: cartId, status: 'OPEN', lines: { some: {} } },
        select: { updatedAt: true },
      });
      return cart?.updatedAt ?? null;
    },

    /**
     * The customer's OPEN cart with lines, when `orderId` came from a customer's cart: where
     * `restoreLinesOfOrder` put that cart's lines back. Null for orders not made from a cart, guest
     * carts, and an open cart emptied meanwhile.
     */
    async openCartAfterOrder(orderId: string): Promise<{ cartId: string; customerId: string } | null> {
      const source = await db.cart.findUnique({ where: { orderId }, select: { customerId: true } });
      if (!source?.customerId) return null;
      const open = await db.cart.findFirst({
        where: { customerId: source.customerId, status: 'OPEN', lines: { some: {} } },
        select: { id: true },
      });
      return open ? { cartId: open.id, customerId: source.customerId } : null;
    },

    /**
     * After the order of a cart ended FAILED or CANCELLED: the customer's OPEN cart holds that cart's
     * lines again (summed with what it holds, within the limits), so they can retry. Call it in the
     * transaction that moved the order, so it happens once.
     */
    async restoreLinesOfOrder(orderId: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        const source = await tx.cart.findUnique({
          where: { orderId },
          select: { customerId: true, lines: { select: { sku: true, quantity: true } } },
        });
        if (!source?.customerId || source.lines.length === 0) return;
        const targetId = await openCartOf(tx, source.customerId);
        await lockCart(tx, targetId);
        // Not through cart_change_line: giving the customer their lines back must not be refused,
        // so only the quantity bound applies, as a cap. Stock is checked again when they check out,
        // and a cart restored beyond the line limit takes no new line until it is back within it.
        for (const line of source.lines) {
          const quantity = Math.min((await quantityOf(tx, targetId, line.sku)) + line.quantity, CART_MAX_QUANTITY);
          await tx.cartLine.upsert({
            where: { cartId_sku: { cartId: targetId, sku: line.sku } },
            create: { cartId: targetId, sku: line.sku, quantity },
            update: { quantity },
          });
        }
        await tx.cart.update({ where: { id: targetId }, data: { updatedAt: new Date() }, select: { id: true } });
      });
    },
  };
}

export type CartRepository = ReturnType<typeof createCartRepository>;
