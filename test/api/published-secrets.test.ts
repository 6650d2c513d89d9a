/**
 * In production the API refuses to start with a secret published in the repository (the
 * development defaults, docker-compose.yml, the Kubernetes example, any committed example) or
 * with one shorter than 32 bytes or trivially repetitive; the error names the variable.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadApiConfig } from '../../api/config';
import { PUBLISHED_SECRETS } from '../../api/published-secrets';

const ROOT = path.join(__dirname, '../..');
const SECRETS = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'] as const;
const random = () => randomBytes(32).toString('base64url');
const production = (env: Record<string, string>) =>
  loadApiConfig({
    NODE_ENV: 'production',
    // Production must name its providers (platform/env.ts); the secrets are what is under test.
    PROVIDERS: 'simulated',
    JWT_SECRET: random(),
    PAYMENT_WEBHOOK_SECRET: random(),
    CARRIER_WEBHOOK_SECRET: random(),
    ...env,
  });

/**
 * Every literal value a committed file outside test/ gives one of the secrets (`NAME: value`,
 * `NAME=value`, `${NAME:-value}`, or a string constant in api/dev-secrets.ts).
 */
function committedSecretValues(): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('test/') && /\.(ya?ml|env|example|md|sh|ts|json)$|(^|\/)\.env/.test(f));
  const values = new Set<string>();
  const assignment = new RegExp(`(?:${SECRETS.join('|')})["']?\\s*[:=]\\s*["']?([^\\s"'#]+)`, 'g');
  const fallback = new RegExp(`\\$\\{(?:${SECRETS.join('|')}):?-([^}]*)\\}`, 'g');
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const [, value] of text.matchAll(fallback)) if (value) values.add(value);
    for (const [, value] of text.matchAll(assignment)) {
      // References, not values: $(openssl ...), ${VAR...}, code reading config or env, and template
      // literals built at run time (`bench-${randomUUID()}`: a fresh value each run, never published).
      if (value && !/^[$({]|^`[^`]*\$\{|^(config|env|process|deps|z)\b|^\w+\.\w+|,$/.test(value)) values.add(value);
    }
  }
  const devSecrets = readFileSync(path.join(ROOT, 'api/dev-secrets.ts'), 'utf8');
  for (const [, value] of devSecrets.matchAll(/=\s*'([^']+)'/g)) if (value) values.add(value);
  return [...values];
}

test('the scan finds the published values it must (the scan itself works)', () => {
  const found = committedSecretValues();
  expect(found).toEqual(
    expect.arrayContaining([
      'dev-only-jwt-secret-change-me-0123456789',
      'dev-payment-webhook-secret',
      'change-me-to-at-least-32-random-characters',
      'change-me',
    ]),
  );
});

test('every value committed for a secret is refused in production, naming the variable', () => {
  const values = [...new Set([...committedSecretValues(), ...PUBLISHED_SECRETS])];
  for (const value of values) {
    for (const name of SECRETS) {
      let message = '';
      try {
        production({ [name]: value });
      } catch (error) {
        message = String(error);
      }
      expect({ name, value, refused: message.includes(`${name}:`) }).toEqual({ name, value, refused: true });
      expect(message).not.toContain(value);
    }
  }
});

test('a random 32-byte secret passes; short or repetitive ones do not', () => {
  expect(() => production({})).not.toThrow();
  for (const name of SECRETS) {
    expect(() => production({ [name]: 'x'.repeat(31) })).toThrow(new RegExp(`${name}: must be at least 32 bytes`));
    expect(() => production({ [name]: 'a'.repeat(64) })).toThrow(new RegExp(`${name}: is too repetitive`));
    expect(() => production({ [name]: '01'.repeat(32) })).toThrow(new RegExp(name));
  }
});

test('without NODE_ENV=production the development defaults still work', () => {
  expect(() => loadApiConfig({})).not.toThrow();
  expect(() => loadApiConfig({ NODE_ENV: 'test' })).not.toThrow();
});
