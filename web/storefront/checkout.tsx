/**
 * `/checkout` (signed-in customers; others sign in first and come back): the cart's summary, the
 * shipping address ("Name", "Address", "City", "Postal code", "Country"), a "Card" choice of the
 * bundled provider's test tokens, and "Place order". Each render carries a fresh Idempotency-Key
 * and the cart id it shows, so a double submit sends the same key and the same body twice, and
 * the API returns the same order (docs/api.md#idempotency); then on to the order's page.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { SHIPPING_ADDRESS_MAX_LENGTH } from '../../domain/shipping-address';
import { ApiProblem } from '../api-client';
import { cartSchema, checkoutAcceptedSchema, type Cart } from '../../contract/response-schemas';
import type { WebEnv, WebParts } from '../context';
import { loginRedirect } from '../errors';
import type { Formatter } from '../format';
import { Alert, CsrfField } from '../layout';
import { problemMessage } from '../problem-messages';
import { formText, type FormBody } from './forms';

/** The bundled payment provider's test tokens (docs/api.md#payment-tokens), as a shopper would choose them. */
const TEST_CARDS = [
  { token: 'tok_visa', label: 'Test Visa card: approved' },
  { token: 'tok_3ds', label: 'Test card with 3-D Secure: asks your bank to confirm' },
  { token: 'tok_declined', label: 'Test card that is declined' },
] as const;

const ADDRESS_FIELDS = [
  { name: 'name', label: 'Name', autocomplete: 'name' },
  { name: 'line1', label: 'Address', autocomplete: 'address-line1' },
  { name: 'city', label: 'City', autocomplete: 'address-level2' },
  { name: 'postalCode', label: 'Postal code', autocomplete: 'postal-code' },
  { name: 'country', label: 'Country', autocomplete: 'country' },
] as const;

type AddressField = (typeof ADDRESS_FIELDS)[number]['name'];

interface CheckoutFormProps {
  cart: Cart;
  fmt: Formatter;
  csrfToken: string;
  values?: Partial<Record<AddressField | 'card', string>>;
  error?: string;
}

function CheckoutForm({ cart, fmt, csrfToken, values = {}, error }: CheckoutFormProps) {
  const currency = cart.currency ?? 'USD';
  return (
    <>
      <h1>Checkout</h1>
      <Alert message={error} />
      <section class="card" aria-labelledby="summary">
        <h2 id="summary">Your order</h2>
        <ul>
          {cart.items.map((line) => (
            <li>
              {fmt.number(line.quantity)} × {line.name}: {fmt.money(line.lineTotalCents, currency)}
            </li>
          ))}
        </ul>
        <p>
          Subtotal: <span class="price">{fmt.money(cart.subtotalCents, currency)}</span>{' '}
          <a href="/cart">Change the cart</a>
        </p>
      </section>
      <form method="post" action="/checkout" class="stack card">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="idempotencyKey" value={randomUUID()} />
        <input type="hidden" name="cartId" value={cart.id} />
        <h2>Shipping address</h2>
        {ADDRESS_FIELDS.map((f) => (
          <div class="field">
            <label for={f.name}>{f.label}</label>
            <input
              id={f.name}
              name={f.name}
              autocomplete={f.autocomplete}
              maxlength={SHIPPING_ADDRESS_MAX_LENGTH[f.name]}
              required
              value={values[f.name] ?? ''}
            />
          </div>
        ))}
        <h2>Payment</h2>
        <div class="field">
          <label for="card">Card</label>
          <select id="card" name="card" required>
            {TEST_CARDS.map((card) => (
              <option value={card.token} selected={values.card === card.token}>
                {card.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Place order</button>
        </div>
      </form>
    </>
  );
}

function EmptyCart() {
  return (
    <>
      <h1>Checkout</h1>
      <p>
        Your cart is empty. <a href="/">Browse the products</a>
      </p>
    </>
  );
}

function valuesOf(form: FormBody): Record<AddressField | 'card', string> {
  return {
    name: formText(form, 'name'),
    line1: formText(form, 'line1'),
    city: formText(form, 'city'),
    postalCode: formText(form, 'postalCode'),
    country: formText(form, 'country'),
    card: formText(form, 'card'),
  };
}

export function checkoutRoutes({ render }: WebParts) {
  const customerOnly = (c: Context<WebEnv>) => c.get('session')?.role === 'customer';
  const notACustomer = (c: Context<WebEnv>) =>
    render(
      c,
      'Checkout',
      <p class="alert" role="alert">
        Only customer accounts can place orders.
      </p>,
      { status: 403 },
    );

  return new Hono<WebEnv>()
    .get('/checkout', async (c) => {
      if (!c.get('session')) return loginRedirect(c);
      if (!customerOnly(c)) return notACustomer(c);
      const cart = await c.get('api').call('GET', '/v1/me/cart', cartSchema);
      if (cart.items.length === 0) return render(c, 'Checkout', <EmptyCart />);
      return render(c, 'Checkout', <CheckoutForm cart={cart} fmt={c.get('fmt')} csrfToken={c.get('csrfToken')} />);
    })
    .post('/checkout', async (c) => {
      if (!c.get('session')) return loginRedirect(c, '/checkout');
      if (!customerOnly(c)) return notACustomer(c);
      const form = await c.req.parseBody();
      const values = valuesOf(form);
      try {
        const accepted = await c.get('api').call('POST', '/v1/checkouts', checkoutAcceptedSchema, {
          headers: { 'Idempotency-Key': formText(form, 'idempotencyKey') },
          body: {
            cartId: formText(form, 'cartId'),
            shippingAddress: {
              name: values.name,
              line1: values.line1,
              city: values.city,
              postalCode: values.postalCode,
              country: values.country,
            },
            paymentMethod: { token: values.card },
          },
        });
        return c.redirect(`/orders/${encodeURIComponent(accepted.orderId)}`, 303);
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status === 401 || error.status >= 500) throw error;
        // Shown again with a new Idempotency-Key: nothing was ordered, the shopper may fix and retry.
        const cart = await c.get('api').call('GET', '/v1/me/cart', cartSchema);
        if (cart.items.length === 0) return render(c, 'Checkout', <EmptyCart />, { status: 422 });
        return render(
          c,
          'Checkout',
          <CheckoutForm
            cart={cart}
            fmt={c.get('fmt')}
            csrfToken={c.get('csrfToken')}
            values={values}
            error={problemMessage(error.problem)}
          />,
          { status: error.status === 409 ? 409 : error.status === 429 ? 429 : 422 },
        );
      }
    });
}
