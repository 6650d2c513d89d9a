import type { TemplateSource } from './types';

export const orderFailed: TemplateSource = {
  subject: 'We could not complete order {{orderNumber}}',
  text: `{{#> textLayout}}
We could not complete your order {{orderNumber}}: {{failureReason}} Any payment taken for it goes back to your payment method.

{{> textLines}}

Your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>We could not complete your order <strong>{{orderNumber}}</strong>: {{failureReason}} Any payment taken for it goes back to your payment method.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Your order</a></p>
{{/htmlLayout}}`,
};
