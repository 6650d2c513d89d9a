import type { TemplateSource } from './types';

export const orderShipped: TemplateSource = {
  subject: 'Order {{orderNumber}} has shipped',
  text: `{{#> textLayout}}
Your order {{orderNumber}} is on its way. Tracking number: {{trackingNumber}}

{{> textLines}}

Follow your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Your order <strong>{{orderNumber}}</strong> is on its way. Tracking number: <strong>{{trackingNumber}}</strong></p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Follow your order</a></p>
{{/htmlLayout}}`,
};
