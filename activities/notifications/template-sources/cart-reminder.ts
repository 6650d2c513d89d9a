import type { TemplateSource } from './types';

export const cartReminder: TemplateSource = {
  subject: 'You left items in your cart',
  text: `{{#> textLayout}}
Your cart is waiting for you:

{{> textLines}}

Prices and stock may change until you check out. Your cart: {{cartLink}}
{{/textLayout}}`,
  html: `{{#> htmlLayout}}
<p>Your cart is waiting for you:</p>
{{> htmlLines}}
<p>Prices and stock may change until you check out. <a href="{{cartLink}}">Back to your cart</a></p>
{{/htmlLayout}}`,
};
