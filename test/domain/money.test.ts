/**
 * domain/money.ts: amounts are integer minor units, turned into text and back without floating-point
 * arithmetic, with each currency's ISO 4217 minor digits.
 */
import fc from 'fast-check';
import { formatMoney, parseMajorUnits } from '../../domain/money';

/** A currency of each minor-digit count: EUR 2, JPY 0, BHD 3. */
const CURRENCIES = [
  { currency: 'EUR', digits: 2 },
  { currency: 'JPY', digits: 0 },
  { currency: 'BHD', digits: 3 },
] as const;

describe('formatMoney', () => {
  // Intl separates a code or a trailing symbol with a no-break space (U+00A0).
  test.each([
    [1234, 'EUR', 'en', '€12.34'],
    [0, 'EUR', 'en', '€0.00'],
    [5, 'USD', 'en', '$0.05'],
    [-1234, 'EUR', 'en', '-€12.34'],
    // Below one major unit the sign still shows (Intl would print -0 as 0).
    [-5, 'EUR', 'en', '-€0.05'],
    [123456789, 'USD', 'en', '$1,234,567.89'],
    [1234, 'JPY', 'en', '¥1,234'],
    [1234, 'BHD', 'en', 'BHD\u00a01.234'],
    // A code Intl has no minor digits for: two, the common case.
    [1234, 'ABC', 'en', 'ABC\u00a012.34'],
    [1234, 'EUR', 'de', '12,34\u00a0€'],
    [123456789, 'USD', 'de', '1.234.567,89\u00a0$'],
  ])('%d %s in %s is %s', (cents, currency, locale, text) => {
    expect(formatMoney(cents, currency, locale)).toBe(text);
  });

  test('every digit of any safe integer amount is kept: nothing goes through a float division', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        const text = formatMoney(cents, 'EUR');
        expect(text.replace(/\D/g, '')).toBe(String(Math.abs(cents)).padStart(3, '0'));
        expect(text.startsWith('-')).toBe(cents < 0);
      }),
    );
  });
});

describe('parseMajorUnits', () => {
  test.each([
    ['12', 'EUR', 1200],
    ['12.5', 'EUR', 1250],
    ['12.50', 'EUR', 1250],
    ['12.', 'EUR', 1200],
    ['1,234.56', 'EUR', 123456],
    [' 7 ', 'EUR', 700],
    ['0.01', 'EUR', 1],
    ['12', 'JPY', 12],
    ['1.234', 'BHD', 1234],
    ['999999999999.99', 'EUR', 99999999999999],
  ])('%j in %s is %d minor units', (input, currency, cents) => {
    expect(parseMajorUnits(input, currency)).toEqual({ ok: true, cents });
  });

  test.each([
    ['', 'EUR', 'Enter an amount such as 12.50.'],
    ['abc', 'EUR', 'Enter an amount such as 12.50.'],
    ['.5', 'EUR', 'Enter an amount such as 12.50.'],
    ['-1', 'EUR', 'Enter an amount such as 12.50.'],
    ['+1', 'EUR', 'Enter an amount such as 12.50.'],
    ['1e3', 'EUR', 'Enter an amount such as 12.50.'],
    ['1234567890123', 'EUR', 'Enter an amount such as 12.50.'],
    ['12.345', 'EUR', 'Use at most 2 decimals.'],
    ['12.5', 'JPY', 'JPY has no minor units.'],
    ['1.2345', 'BHD', 'Use at most 3 decimals.'],
  ])('%j in %s is refused: %s', (input, currency, message) => {
    expect(parseMajorUnits(input, currency)).toEqual({ ok: false, message });
  });

  test('decimal amounts add up exactly, where floating-point sums do not', () => {
    const cents = (text: string) => {
      const parsed = parseMajorUnits(text, 'EUR');
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.cents;
    };
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(cents('0.10') + cents('0.20')).toBe(cents('0.30'));
  });

  test('any major and minor digits give exactly major * 10^digits + minor', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.bigInt({ min: 0n, max: 999_999_999_999n }),
        fc.nat(),
        ({ currency, digits }, major, minorSeed) => {
          const scale = 10n ** BigInt(digits);
          const minor = BigInt(minorSeed) % scale;
          const text = digits === 0 ? `${major}` : `${major}.${minor.toString().padStart(digits, '0')}`;
          expect(parseMajorUnits(text, currency)).toEqual({ ok: true, cents: Number(major * scale + minor) });
        },
      ),
    );
  });

  test('what formatMoney prints parses back to the same amount, in every currency', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...CURRENCIES)
          .chain(({ currency, digits }) =>
            fc.tuple(fc.constant(currency), fc.integer({ min: 0, max: 10 ** (12 + digits) - 1 })),
          ),
        ([currency, cents]) => {
          const printed = formatMoney(cents, currency).replace(/[^\d.,]/g, '');
          expect(parseMajorUnits(printed, currency)).toEqual({ ok: true, cents });
        },
      ),
    );
  });
});
