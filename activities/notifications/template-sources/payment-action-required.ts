import type { TemplateSource } from './types';

export const paymentActionRequired: TemplateSource = {
  subject: 'Confirm your payment for order {{orderNumber}}',
  text: `{{#> textLayout}}
Your bank asks you to confirm the payment of {{total}} for order {{orderNumber}}. We hold your items for a short while: confirm the payment soon, or the order lapses and nothing is charged.

{{> textLines}}

Confirm the payment: {{orderLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Your bank asks you to confirm the payment of <strong>{{total}}</strong> for order <strong>{{orderNumber}}</strong>. We hold your items for a short while: confirm the payment soon, or the order lapses and nothing is charged.</p>
{{> htmlLines}}
<p><a href="{{orderLink}}">Confirm the payment</a></p>
{{/htmlLayout}}`,
};
