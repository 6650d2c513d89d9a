/** One answered request, as every record of it (metrics, access log, span name) describes it. */
export interface Answered {
  requestId: string;
  method: string;
  /** The matched route's pattern (`/v1/products/:sku`), or `unmatched`. */
  route: string;
  status: number;
  elapsedMs: number;
}
