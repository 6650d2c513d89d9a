/**
 * Money for people: amounts are integer minor units everywhere in the platform (`...Cents`); these
 * turn them into text and back without floating-point arithmetic. How many minor digits a currency
 * has (EUR 2, JPY 0, BHD 3) is ISO 4217's, which Intl carries.
 */

/** ISO 4217 minor-unit digits of `currency` (2 for an unknown code: the common case). */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `1234, 'EUR'` -> `€12.34`. Integer minor units in; the digits are split as text, never divided. */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  const digits = minorDigits(currency);
  const text = Math.abs(Math.trunc(cents))
    .toString()
    .padStart(digits + 1, '0');
  const major = BigInt(text.slice(0, text.length - digits)) * (cents < 0 ? -1n : 1n);
  const minor = text.slice(text.length - digits);
  // The major units go through Intl as a bigint (exact) for the symbol, grouping and sign; the minor
  // digits take the place of its (zero) fraction.
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const signed = cents < 0 && major === 0n ? format.formatToParts(-0) : format.formatToParts(major);
  return signed.map((part) => (part.type === 'fraction' ? minor : part.value)).join('');
}

export type MajorUnitsParse = { ok: true; cents: number } | { ok: false; message: string };

/**
 * What a person typed as an amount in major units (`12`, `12.5`, `12.50`, `1,234.56`) as exact
 * minor units: the digits are shifted as text. More decimals than the currency has, signs,
 * exponents or anything else is refused with a message, never rounded.
 */
export function parseMajorUnits(input: string, currency: string): MajorUnitsParse {
  const digits = minorDigits(currency);
  const text = input.trim().replace(/[\s,]/g, '');
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(text);
  if (!match) return { ok: false, message: 'Enter an amount such as 12.50.' };
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits === 0 ? `${currency} has no minor units.` : `Use at most ${digits} decimals.`,
    };
  }
  const cents = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(cents)) return { ok: false, message: 'That amount is too large.' };
  return { ok: true, cents };
}
