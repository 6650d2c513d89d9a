import type { TemplateSource } from './types';

export const orderDelivered: TemplateSource = {
  subject: 'Order {{orderNumber}} was delivered',
  text: `{{#> textLayout}}
Your order {{orderNumber}} was delivered. We hope you enjoy it.

{{> textLines}}

Your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Your order <strong>{{orderNumber}}</strong> was delivered. We hope you enjoy it.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Your order</a></p>
{{/htmlLayout}}`,
};
