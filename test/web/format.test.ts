/** Money, numbers and dates for people: exact amounts, the reader's language, safe fallbacks. */
import { createFormatter, minorUnitsToDecimal, negotiateLocale } from '../../web/format';
import { problemMessage } from '../../web/problem-messages';

describe('formatting for people', () => {
  it('turns minor units into an exact decimal, beyond what a float holds', () => {
    expect(minorUnitsToDecimal(123456, 2)).toBe('1234.56');
    expect(minorUnitsToDecimal(5, 2)).toBe('0.05');
    expect(minorUnitsToDecimal(-1999, 2)).toBe('-19.99');
    expect(minorUnitsToDecimal(500, 0)).toBe('500');
    expect(minorUnitsToDecimal(9007199254740991, 2)).toBe('90071992547409.91');
    expect(() => minorUnitsToDecimal(1.5, 2)).toThrow(RangeError);
  });

  it('formats money in the currency and language of the reader', () => {
    expect(createFormatter('en-US').money(123456, 'USD')).toBe('$1,234.56');
    expect(createFormatter('de-DE').money(123456, 'EUR')).toBe('1.234,56\u00a0€');
    // Yen have no minor unit: 500 minor units are ¥500.
    expect(createFormatter('en-US').money(500, 'JPY')).toBe('¥500');
    expect(createFormatter('en-US').money(9007199254740991, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('formats counts and dates (in UTC, said so)', () => {
    const fmt = createFormatter('en-US');
    expect(fmt.number(12345)).toBe('12,345');
    // ICU versions differ in the space before PM (U+202F or U+0020).
    expect(fmt.dateTime('2026-12-03T14:05:00.000Z')).toMatch(/^Dec 3, 2026, 2:05\sPM UTC$/);
  });

  it('negotiates the language from Accept-Language, falling back to en-US', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(negotiateLocale('fr;q=0.5, en-GB;q=0.9')).toBe('en-GB');
    expect(negotiateLocale(undefined)).toBe('en-US');
    expect(negotiateLocale('*')).toBe('en-US');
    expect(negotiateLocale('not a tag!!, x')).toBe('en-US');
  });
});

describe('problems in words', () => {
  it('names the form fields the API found wrong', () => {
    const message = problemMessage({
      type: '/problems/validation_failed',
      status: 400,
      code: 'validation_failed',
      title: 'Request validation failed',
      errors: [
        { path: 'shippingAddress.city', message: 'Too small' },
        { path: 'shippingAddress.postalCode', message: 'Too small' },
      ],
    });
    expect(message).toBe('Please check City, Postal code: they are missing or not valid.');
  });

  it('says how many are in stock, and never shows a server error detail', () => {
    expect(
      problemMessage({
        type: '/problems/insufficient_stock',
        status: 422,
        code: 'insufficient_stock',
        title: 'x',
        available: 3,
      }),
    ).toBe('We only have 3 of those in stock.');
    expect(
      problemMessage({
        type: '/problems/internal_error',
        status: 500,
        code: 'internal_error',
        title: 'x',
        detail: 'The error was logged.',
      }),
    ).toBe('Something went wrong on our side. Please try again in a moment.');
  });
});
