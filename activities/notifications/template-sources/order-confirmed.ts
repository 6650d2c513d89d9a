import type { TemplateSource } from './types';

export const orderConfirmed: TemplateSource = {
  subject: 'Order {{orderNumber}} confirmed',
  text: `{{#> textLayout}}
Thank you for your order {{orderNumber}}. We received your payment of {{total}} and are preparing your parcel.

{{> textLines}}

Follow your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Thank you for your order <strong>{{orderNumber}}</strong>. We received your payment of {{total}} and are preparing your parcel.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Follow your order</a></p>
{{/htmlLayout}}`,
};
