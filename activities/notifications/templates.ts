/**
 * Renders each notification type to a subject, a plain-text body and an HTML body, from typed facts.
 * The HTML is Handlebars with its default escaping: product names, customer names and every other
 * value reach the markup only through `{{...}}`, never concatenated. Subjects and text bodies are
 * not HTML, so they are compiled without escaping. Templates compile in strict mode: one that names
 * a value its facts do not provide fails to render instead of sending a blank.
 */
import Handlebars from 'handlebars';
import type { NotificationType } from '../../domain/notifications';
import { PARTIALS, TEMPLATE_SOURCES } from './template-sources';

interface LineFacts {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderFacts {
  orderId: string;
  /** Null when the platform knows no name for the customer. */
  customerName: string | null;
  currency: string;
  totalCents: number;
  lines: LineFacts[];
}

interface CartFacts {
  cartId: string;
  customerName: string | null;
  currency: string;
  subtotalCents: number;
  lines: LineFacts[];
}

/** What each email is about: its type and the facts its template needs. */
export type NotificationContent =
  | { type: 'order_confirmed'; order: OrderFacts }
  | { type: 'payment_action_required'; order: OrderFacts }
  | { type: 'order_shipped'; order: OrderFacts; trackingNumber: string }
  | { type: 'order_delivered'; order: OrderFacts }
  | { type: 'order_cancelled'; order: OrderFacts }
  | { type: 'order_failed'; order: OrderFacts; failureReason: string | null }
  | { type: 'refund_succeeded'; order: OrderFacts; refundAmountCents: number }
  | { type: 'cart_reminder'; cart: CartFacts };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  /** Absolute base of the links in emails (the storefront), without a trailing slash. */
  storefrontUrl: string;
}

/** The order number customers see: the first 8 characters of the order id, upper-case. */
const orderNumber = (orderId: string): string => orderId.slice(0, 8).toUpperCase();

const formatters = new Map<string, Intl.NumberFormat>();

/** `1250, 'USD'` -> `$12.50`; amounts are in the currency's minor unit, as the platform stores them. */
function formatMoney(minorUnits: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      // Not an ISO 4217 code Intl knows: still readable, never a crash on the way to the customer.
      return `${(minorUnits / 100).toFixed(2)} ${currency}`;
    }
    formatters.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** Order failure reasons (domain/failure-types.ts) as a customer reads them. */
const FAILURE_TEXT: Record<string, string> = {
  OUT_OF_STOCK: 'an item in it sold out before we could reserve it.',
  PAYMENT_DECLINED: 'your payment was declined.',
  PAYMENT_TIMEOUT: 'your payment was not confirmed in time.',
  UNKNOWN_SKU: 'an item in it is no longer sold.',
  MIXED_CURRENCY: 'its items are priced in different currencies.',
  CANCELLED_BY_REQUEST: 'it was cancelled on request.',
  RESERVATION_EXPIRED: 'it was not paid in time, so its items were released.',
  TOO_MANY_UNPAID_ORDERS: 'you have other orders still waiting for payment confirmation.',
};

const failureText = (reason: string | null): string =>
  (reason !== null ? FAILURE_TEXT[reason] : undefined) ?? 'something went wrong on our side.';

const hbs = Handlebars.create();
for (const [name, source] of Object.entries(PARTIALS)) hbs.registerPartial(name, source);

interface CompiledTemplate {
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

const compiled = new Map<NotificationType, CompiledTemplate>();

function templateOf(type: NotificationType): CompiledTemplate {
  let template = compiled.get(type);
  if (!template) {
    const source = TEMPLATE_SOURCES[type];
    template = {
      subject: hbs.compile(source.subject, { strict: true, noEscape: true }),
      text: hbs.compile(source.text, { strict: true, noEscape: true }),
      html: hbs.compile(source.html, { strict: true }),
    };
    compiled.set(type, template);
  }
  return template;
}

function linesModel(lines: LineFacts[], currency: string) {
  return lines.map((l) => ({
    sku: l.sku,
    name: l.name,
    quantity: l.quantity,
    unitPrice: formatMoney(l.unitPriceCents, currency),
    lineTotal: formatMoney(l.unitPriceCents * l.quantity, currency),
  }));
}

/** The values a template sees: everything formatted for people already. */
function modelOf(content: NotificationContent, { storefrontUrl }: RenderOptions): Record<string, unknown> {
  if (content.type === 'cart_reminder') {
    const { cart } = content;
    return {
      greetingName: cart.customerName ?? 'there',
      lines: linesModel(cart.lines, cart.currency),
      totalLabel: 'Subtotal',
      total: formatMoney(cart.subtotalCents, cart.currency),
      cartLink: `${storefrontUrl}/cart`,
    };
  }
  const { order } = content;
  const base = {
    greetingName: order.customerName ?? 'there',
    orderNumber: orderNumber(order.orderId),
    lines: linesModel(order.lines, order.currency),
    totalLabel: 'Total',
    total: formatMoney(order.totalCents, order.currency),
    orderLink: `${storefrontUrl}/orders/${encodeURIComponent(order.orderId)}`,
  };
  switch (content.type) {
    case 'order_shipped':
      return { ...base, trackingNumber: content.trackingNumber };
    case 'order_failed':
      return { ...base, failureReason: failureText(content.failureReason) };
    case 'refund_succeeded':
      return { ...base, refundAmount: formatMoney(content.refundAmountCents, order.currency) };
    default:
      return base;
  }
}

export function renderNotification(content: NotificationContent, options: RenderOptions): RenderedEmail {
  const template = templateOf(content.type);
  const model = modelOf(content, options);
  const subject = template.subject(model).trim();
  return {
    subject,
    text: template.text(model),
    html: template.html({ ...model, subject }),
  };
}
