/**
 * `/cart`: the lines with their "Quantity" fields ("Update") and "Remove" buttons, the subtotal and
 * the "Checkout" link. Every change is a form post that the API checks (stock, limits), then a
 * redirect back here; a refusal shows the cart again with the reason.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { MAX_UNITS_PER_SKU } from '../../domain/pricing';
import { ApiProblem } from '../api-client';
import { cartSchema, type Cart } from '../../contract/response-schemas';
import type { WebEnv, WebParts } from '../context';
import type { Formatter } from '../format';
import { Alert, CsrfField } from '../layout';
import { problemMessage } from '../problem-messages';
import { formText, quantityOf } from './forms';
import { currentCart } from './shopper-cart';

function CartView(props: { cart: Cart | null; fmt: Formatter; csrfToken: string; error?: string }) {
  const { cart, fmt } = props;
  const currency = cart?.currency ?? 'USD';
  return (
    <>
      <h1>Your cart</h1>
      <Alert message={props.error} />
      {!cart || cart.items.length === 0 ? (
        <p>
          Your cart is empty. <a href="/">Browse the products</a>
        </p>
      ) : (
        <>
          <table class="lines">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col">Quantity</th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">
                  <span class="muted">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((line) => {
                const path = `/cart/items/${encodeURIComponent(line.sku)}`;
                const field = `quantity-${line.sku}`;
                return (
                  <tr data-sku={line.sku}>
                    <td>
                      <a href={`/products/${encodeURIComponent(line.sku)}`}>{line.name}</a>
                      {line.quantity > line.available ? (
                        <p class="muted">Only {fmt.number(line.available)} in stock</p>
                      ) : null}
                    </td>
                    <td class="num">{fmt.money(line.unitPriceCents, currency)}</td>
                    <td>
                      <form method="post" action={path} class="inline">
                        <CsrfField token={props.csrfToken} />
                        <label for={field} class="visually-hidden">
                          Quantity
                        </label>
                        <input
                          id={field}
                          name="quantity"
                          type="number"
                          min="0"
                          max={String(MAX_UNITS_PER_SKU)}
                          step="1"
                          required
                          value={String(line.quantity)}
                        />
                        <button type="submit" class="secondary">
                          Update
                        </button>
                      </form>
                    </td>
                    <td class="num">{fmt.money(line.lineTotalCents, currency)}</td>
                    <td>
                      <form method="post" action={`${path}/remove`} class="inline">
                        <CsrfField token={props.csrfToken} />
                        <button type="submit" class="secondary" aria-label="Remove" title={`Remove ${line.name}`}>
                          Remove
                        </button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <td colspan={3}>Subtotal</td>
                <td class="num" data-subtotal>
                  {fmt.money(cart.subtotalCents, currency)}
                </td>
                <td></td>
              </tr>
            </tfoot>
          </table>
          <p>
            <a class="button" href="/checkout">
              Checkout
            </a>
          </p>
        </>
      )}
    </>
  );
}

export function cartRoutes({ render, cookies }: WebParts) {
  const show = async (c: Context<WebEnv>, error?: { message: string; status: 409 | 422 }) =>
    render(
      c,
      'Cart',
      <CartView
        cart={await currentCart(c, cookies)}
        fmt={c.get('fmt')}
        csrfToken={c.get('csrfToken')}
        error={error?.message}
      />,
      error ? { status: error.status } : {},
    );

  /** Runs a change to the shopper's cart, then back to /cart: with the reason when it was refused. */
  const change = async (c: Context<WebEnv>, act: (cart: Cart) => Promise<unknown>) => {
    const cart = await currentCart(c, cookies);
    if (!cart) return c.redirect('/cart', 303);
    try {
      await act(cart);
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status === 401 || error.status >= 500) throw error;
      return show(c, { message: problemMessage(error.problem), status: error.status === 409 ? 409 : 422 });
    }
    return c.redirect('/cart', 303);
  };

  return new Hono<WebEnv>()
    .get('/cart', (c) => show(c))
    .post('/cart/items/:sku', async (c) => {
      const sku = encodeURIComponent(c.req.param('sku'));
      const quantity = quantityOf(formText(await c.req.parseBody(), 'quantity'));
      return change(c, (cart) =>
        c.get('api').call('PUT', `/v1/carts/${cart.id}/items/${sku}`, cartSchema, { body: { quantity } }),
      );
    })
    .post('/cart/items/:sku/remove', (c) => {
      const sku = encodeURIComponent(c.req.param('sku'));
      return change(c, (cart) => c.get('api').call('DELETE', `/v1/carts/${cart.id}/items/${sku}`, cartSchema));
    });
}
