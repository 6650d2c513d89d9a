/** `/`: the product list; `/products/:sku`: one product and its "Add to cart" form. */
import { Hono } from 'hono';
import { MAX_UNITS_PER_SKU } from '../../domain/pricing';
import { ApiProblem } from '../api-client';
import { cartSchema, productPageSchema, productSchema, type Product } from '../../contract/response-schemas';
import type { WebEnv, WebParts } from '../context';
import type { Formatter } from '../format';
import { Alert, CsrfField } from '../layout';
import { problemMessage } from '../problem-messages';
import { formText, quantityOf } from './forms';
import { cartToFill } from './shopper-cart';

const PAGE_SIZE = 24;

function ProductDetail(props: {
  product: Product;
  fmt: Formatter;
  csrfToken: string;
  quantity?: string;
  error?: string;
}) {
  const { product, fmt } = props;
  return (
    <>
      <p>
        <a href="/">All products</a>
      </p>
      <h1>{product.name}</h1>
      <div class="card">
        <p class="price">{fmt.money(product.priceCents, product.currency)}</p>
        <p class="muted">
          {product.available > 0 ? `${fmt.number(product.available)} in stock` : 'Out of stock'} · SKU {product.sku}
        </p>
        <Alert message={props.error} />
        <form method="post" action={`/products/${encodeURIComponent(product.sku)}`} class="inline">
          <CsrfField token={props.csrfToken} />
          <label for="quantity">Quantity</label>
          <input
            id="quantity"
            name="quantity"
            type="number"
            min="1"
            max={String(MAX_UNITS_PER_SKU)}
            step="1"
            required
            value={props.quantity ?? '1'}
          />
          <button type="submit" disabled={product.available <= 0}>
            Add to cart
          </button>
        </form>
      </div>
    </>
  );
}

export function catalogRoutes({ render, cookies }: WebParts) {
  return new Hono<WebEnv>()
    .get('/', async (c) => {
      const cursor = c.req.query('cursor');
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await c.get('api').call('GET', `/v1/products?${query}`, productPageSchema);
      const fmt = c.get('fmt');
      return render(
        c,
        'Products',
        <>
          <h1>Products</h1>
          {page.items.length === 0 ? <p>No products yet.</p> : null}
          <ul class="products">
            {page.items.map((p) => (
              <li>
                <a href={`/products/${encodeURIComponent(p.sku)}`}>{p.name}</a>
                <p class="price">{fmt.money(p.priceCents, p.currency)}</p>
                <p class="muted">{p.available > 0 ? `${fmt.number(p.available)} in stock` : 'Out of stock'}</p>
              </li>
            ))}
          </ul>
          {page.nextCursor ? (
            <p>
              <a href={`/?cursor=${encodeURIComponent(page.nextCursor)}`}>More products</a>
            </p>
          ) : null}
        </>,
      );
    })
    .get('/products/:sku', async (c) => {
      const product = await c
        .get('api')
        .call('GET', `/v1/products/${encodeURIComponent(c.req.param('sku'))}`, productSchema);
      return render(
        c,
        product.name,
        <ProductDetail product={product} fmt={c.get('fmt')} csrfToken={c.get('csrfToken')} />,
      );
    })
    .post('/products/:sku', async (c) => {
      const sku = c.req.param('sku');
      const form = await c.req.parseBody();
      const quantityText = formText(form, 'quantity') || '1';
      try {
        const cart = await cartToFill(c, cookies);
        await c.get('api').call('POST', `/v1/carts/${cart.id}/items`, cartSchema, {
          body: { sku, quantity: quantityOf(quantityText) },
        });
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status === 401 || error.status >= 500) throw error;
        const product = await c.get('api').call('GET', `/v1/products/${encodeURIComponent(sku)}`, productSchema);
        return render(
          c,
          product.name,
          <ProductDetail
            product={product}
            fmt={c.get('fmt')}
            csrfToken={c.get('csrfToken')}
            quantity={quantityText}
            error={problemMessage(error.problem)}
          />,
          { status: error.status === 409 ? 409 : 422 },
        );
      }
      return c.redirect('/cart', 303);
    });
}
