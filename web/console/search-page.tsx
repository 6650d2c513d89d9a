/** `/console`: find orders by order id, customer email or status (docs/api.md#support-console). */
import { ORDER_STATUSES } from '../../domain/statuses';
import type { Formatter } from '../format';
import { Alert } from '../layout';
import type { Order } from '../../contract/response-schemas';

export interface SearchQuery {
  orderId: string;
  email: string;
  status: string;
}

export interface SearchResults {
  /** What was searched for, in words ("orders of alice@example.com that are PAID"). */
  heading: string;
  orders: Order[];
  /** The link to the next page of results, when there is one. */
  next: string | null;
}

const shortId = (id: string) => id.slice(0, 8).toUpperCase();

export function SearchPage(props: { query: SearchQuery; results?: SearchResults; error?: string; fmt: Formatter }) {
  const { query, results, fmt } = props;
  return (
    <>
      <h1>Support console</h1>
      <form method="get" action="/console" class="card search-form" role="search" aria-label="Find orders">
        <div class="field">
          <label for="orderId">Order id</label>
          <input id="orderId" name="orderId" value={query.orderId} autocomplete="off" spellcheck={false} />
        </div>
        <div class="field">
          <label for="email">Customer email</label>
          <input id="email" name="email" type="email" value={query.email} autocomplete="off" />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="" selected={query.status === ''}>
              Any status
            </option>
            {ORDER_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Search</button>
        </div>
      </form>
      <Alert message={props.error} />
      {results && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">{results.heading}</h2>
          {results.orders.length === 0 ? (
            <p class="muted">No orders found.</p>
          ) : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Total
                    </th>
                    <th scope="col" class="num">
                      Refunded
                    </th>
                    <th scope="col">Placed</th>
                  </tr>
                </thead>
                <tbody>
                  {results.orders.map((o) => (
                    <tr>
                      <td>
                        <a href={`/console/orders/${o.id}`} aria-label={`Order ${shortId(o.id)}`}>
                          {shortId(o.id)}
                        </a>
                      </td>
                      <td>
                        <span class={`badge status-${o.status.toLowerCase()}`}>{o.status}</span>
                      </td>
                      <td class="num">{fmt.money(o.totalCents, o.currency)}</td>
                      <td class="num">{fmt.money(o.refundedCents, o.currency)}</td>
                      <td>{fmt.dateTime(o.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {results.next && (
            <p>
              <a href={results.next}>Next page</a>
            </p>
          )}
        </section>
      )}
    </>
  );
}
