/**
 * Money, counts and dates for people, in the reader's language (Accept-Language) through Intl.
 * Money stays exact: minor units become a decimal string by integer arithmetic and Intl formats
 * that string (Intl.NumberFormat v3 takes decimal strings), so no amount passes through a float.
 */

export interface Formatter {
  locale: string;
  money(cents: number, currency: string): string;
  number(value: number): string;
  dateTime(iso: string): string;
}

const FALLBACK_LOCALE = 'en-US';

/** The first language of an Accept-Language header that Intl supports, else en-US. */
export function negotiateLocale(acceptLanguage: string | undefined): string {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // not a well-formed language tag: try the next one
    }
  }
  return FALLBACK_LOCALE;
}

/** `cents` minor units as a decimal string with `digits` fraction digits: 12345, 2 -> "123.45". */
export function minorUnitsToDecimal(cents: number, digits: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of minor units: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const magnitude = BigInt(Math.abs(cents));
  if (digits === 0) return `${sign}${magnitude}`;
  const scale = 10n ** BigInt(digits);
  return `${sign}${magnitude / scale}.${(magnitude % scale).toString().padStart(digits, '0')}`;
}

// Intl.NumberFormat.format accepts decimal strings since ES2023; the ES2022 lib types do not say so.
type DecimalFormat = (value: number | `${number}`) => string;

export function createFormatter(locale: string): Formatter {
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const currencies = new Map<string, Intl.NumberFormat>();
  const currencyFormat = (currency: string) => {
    let format = currencies.get(currency);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      currencies.set(currency, format);
    }
    return format;
  };
  return {
    locale,
    money(cents, currency) {
      const format = currencyFormat(currency);
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return (format.format as DecimalFormat)(minorUnitsToDecimal(cents, digits) as `${number}`);
    },
    number: (value) => numbers.format(value),
    dateTime: (iso) => `${dates.format(new Date(iso))} UTC`,
  };
}
