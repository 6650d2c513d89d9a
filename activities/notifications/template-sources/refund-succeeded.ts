import type { TemplateSource } from './types';

export const refundSucceeded: TemplateSource = {
  subject: 'Refund of {{refundAmount}} for order {{orderNumber}}',
  text: `{{#> textLayout}}
We refunded {{refundAmount}} for your order {{orderNumber}} to your payment method. Your bank may take a few days to show it.

{{> textLines}}

Your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>We refunded <strong>{{refundAmount}}</strong> for your order <strong>{{orderNumber}}</strong> to your payment method. Your bank may take a few days to show it.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Your order</a></p>
{{/htmlLayout}}`,
};
