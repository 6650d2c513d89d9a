/**
 * Partials every email shares: the greeting and sign-off around the body (`textLayout`,
 * `htmlLayout`, used as partial blocks) and the table of lines with its total (`textLines`,
 * `htmlLines`). Lines carry `sku`, `name`, `quantity`, `unitPrice`, `lineTotal`, formatted already.
 */
export const PARTIALS = {
  textLayout: `Hi {{greetingName}},

{{> @partial-block}}

--
Temporal Commerce
`,

  textLines: `{{#each lines}}
- {{quantity}} x {{name}} ({{sku}}) at {{unitPrice}}: {{lineTotal}}
{{/each}}
{{totalLabel}}: {{total}}
`,

  htmlLayout: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: Arial, sans-serif; color: #1a1a1a; max-width: 600px; margin: 0 auto; padding: 16px;">
<p>Hi {{greetingName}},</p>
{{> @partial-block}}
<p style="color: #666666; font-size: 12px;">Temporal Commerce</p>
</body>
</html>
`,

  htmlLines: `<table style="border-collapse: collapse; width: 100%;">
<thead><tr><th align="left">Item</th><th align="right">Quantity</th><th align="right">Unit price</th><th align="right">Total</th></tr></thead>
<tbody>
{{#each lines}}
<tr><td>{{name}} <small>({{sku}})</small></td><td align="right">{{quantity}}</td><td align="right">{{unitPrice}}</td><td align="right">{{lineTotal}}</td></tr>
{{/each}}
</tbody>
<tfoot><tr><th align="left" colspan="3">{{totalLabel}}</th><th align="right">{{total}}</th></tr></tfoot>
</table>
`,
} as const;
