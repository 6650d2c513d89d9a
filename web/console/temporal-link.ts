/**
 * The Temporal UI's list of an order's workflows (checkout, shipment, refunds, cancellation, emails
 * that carry it): a visibility query on the `OrderId` search attribute in the platform's namespace.
 */
import { OrderIdKey } from '../../domain/search-attributes';

export interface TemporalUi {
  /** TEMPORAL_UI_URL: the UI's base URL, e.g. the dev server's http://localhost:8233. */
  baseUrl: string;
  namespace: string;
}

export function orderWorkflowsUrl({ baseUrl, namespace }: TemporalUi, orderId: string): string {
  const query = `${OrderIdKey.name}="${orderId}"`;
  return `${baseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
