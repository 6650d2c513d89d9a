import type { TemplateSource } from './types';

export const orderCancelled: TemplateSource = {
  subject: 'Order {{orderNumber}} was cancelled',
  text: `{{#> textLayout}}
Your order {{orderNumber}} was cancelled. If you paid for it, the full amount goes back to your payment method.

{{> textLines}}

Your order: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Your order <strong>{{orderNumber}}</strong> was cancelled. If you paid for it, the full amount goes back to your payment method.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Your order</a></p>
{{/htmlLayout}}`,
};
