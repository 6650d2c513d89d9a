/**
 * fast-check arbitraries for hostile input: text no storage layer likes (NUL, lone surrogates,
 * bidi overrides, emoji, very long), numbers at the edges of JSON and of 64-bit integers, values of
 * the wrong JSON type, deep nesting, and bodies that are not JSON at all.
 */
import fc from 'fast-check';

/** Single characters chosen to break naive code: NUL, lone surrogates, BOM, RTL override, ... */
const NASTY_CHARS = [
  '\u0000',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\u0007',
  '\u001b',
  '\u2028',
  '\u0301',
  '\u00a0',
  '🛒',
  '👩‍👩‍👧',
  'ש',
  'ع',
  '%',
  '\\',
  '"',
  "'",
  '<',
  '\n',
  '\r',
  '\t',
] as const;

/** Strings with a meaning somewhere (SQL, templates, paths, numbers, prototypes). */
export const SPECIAL_STRINGS = [
  '',
  ' ',
  '\t\n',
  'null',
  'true',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '1e308',
  '9223372036854775808',
  '__proto__',
  'constructor',
  "'; DROP TABLE orders; --",
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u202egnp.exe',
  'مرحبا بالعالم',
  '🛒💥🔥',
  'A'.repeat(256),
  '\u0000'.repeat(64),
] as const;

const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_CHARS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** Any hostile string: short mixes of the above, special strings, or long ones past most limits. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 256, maxLength: 1200 }) },
);

/** A non-empty hostile string of at most `max` characters. */
export const hostileText = (max: number): fc.Arbitrary<string> =>
  fc.string({ unit, minLength: 1, maxLength: Math.min(max, 24) }).filter((s) => s.length <= max);

// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern must find.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `value` holds a string PostgreSQL cannot store as text: NUL or a lone UTF-16 surrogate. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasUnstorableText);
  return false;
}

/**
 * Hostile but storable text (emoji, RTL, control characters, quotes) most of the time, and now and
 * then NUL or a lone surrogate, so that a record of several such fields is usually well-formed.
 */
export const mostlyStorableText = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: hostileText(max).filter((s) => !hasUnstorableText(s)) },
    { weight: 1, arbitrary: hostileText(max) },
  );

/** Numbers at the edges: huge, tiny, negative zero, beyond 2^53 and 2^63, fractional. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    -0,
    0,
    -1,
    0.5,
    1.5,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    Number.MIN_VALUE,
    1e-7,
    10_001,
    100_000_001,
    1_000_000_001,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Arrays nested `depth` deep around `inner`. */
export function nested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const smallJson = fc.jsonValue({ maxDepth: 2, stringUnit: unit });

/** A JSON value that is not a string. */
export const nonString: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  edgeNumber,
  fc.array(smallJson, { maxLength: 4 }),
  fc.dictionary(hostileString, smallJson, { maxKeys: 4 }),
  fc.integer({ min: 10, max: 1500 }).map((d) => nested(d)),
);

/** A JSON value that is not a number (strings of numbers included). */
export const nonNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileString,
  fc.constantFrom('1', '10', '1e3', '-0'),
  fc.array(smallJson, { maxLength: 3 }),
  fc.dictionary(hostileString, smallJson, { maxKeys: 3 }),
);

/** A JSON value that is not an object (arrays included). */
export const nonObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  edgeNumber,
  hostileString,
  fc.array(smallJson, { maxLength: 4 }),
);

/** A non-negative integer that is still not an acceptable count: zero, fractional, too big, not finite once parsed. */
export const badPositiveInt = (max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(0, -0, -1, 0.5, 1.000001, max + 1, 1e308, 2 ** 63, -(2 ** 63), Number.MIN_VALUE),
    fc.integer({ min: -(2 ** 31), max: 0 }),
    fc.integer({ min: max + 1, max: 2 ** 31 }),
    fc.double({ min: 0, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
    nonNumber,
  );

/** A string that is blank after trimming, or longer than `max` after trimming. */
export const badText = (max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom('', ' ', '\t\n ', '\u00a0', '\ufeff'),
    fc.string({ unit: 'grapheme-ascii', minLength: max + 1, maxLength: max + 40 }).map((s) => `x${s}x`),
    nonString,
  );

/** Extra fields a client might try to slip in: prices, statuses, owners, prototypes. */
export const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'priceCents',
      'unitPriceCents',
      'totalCents',
      'status',
      'customerId',
      'role',
      'id',
      '__proto__',
      'constructor',
      'refundedCents',
    ),
    hostileString,
  ),
  fc.oneof(smallJson, fc.constant({ role: 'admin' })),
  { maxKeys: 3 },
);

/**
 * Bodies that are not JSON, or not the JSON anyone expects: truncated, stray BOM, form data, deep.
 * (A *leading* BOM is not here: the server's UTF-8 decoding drops it, as RFC 8259 allows, so
 * '\ufeff{}' is the valid JSON '{}'.)
 */
export const notJsonBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '[',
    ']',
    'NaN',
    'undefined',
    '{"a":}',
    "{'a':1}",
    '{"a":1,}',
    '\u0000',
    '{\ufeff}',
    '<xml/>',
    'items=1&sku=2',
    '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
    '{"items":',
    '1e400',
    '"\\ud800"',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => '{"a":'.repeat(n)),
  fc
    .string({ unit: 'binary', maxLength: 64 })
    .map((s) => `{${s}`)
    .filter((text) => !parses(text)),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Uint8Array.from([0xff, 0xfe, ...bytes])),
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON texts that parse, but to something that is not an object. */
export const nonObjectJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '0', '-0', '1e400', '"{}"', '[]', '[{}]', '9223372036854775808'),
  fc.integer({ min: 1, max: 8_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

/** A body past the 64 KiB limit (413 before anything reads it). */
export const oversizedBody: fc.Arbitrary<string> = fc
  .integer({ min: 64 * 1024 + 1, max: 96 * 1024 })
  .map((n) => JSON.stringify({ pad: 'x'.repeat(n) }));

/** Sets `value` at `path` inside a deep copy of `target`; `DELETE` removes the key. */
export const DELETE = Symbol('delete');
export function withValueAt(target: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy: unknown = structuredClone(target);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}
