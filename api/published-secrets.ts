/**
 * Secrets a production API must refuse: every value published in this repository for JWT_SECRET
 * and the webhook secrets (the development defaults, docker-compose.yml's former defaults, the
 * Kubernetes example), and anything short or trivially repetitive. test/api/published-secrets.test.ts
 * scans the committed files so a new example value cannot be added without being listed here.
 */
import { DEV_CARRIER_WEBHOOK_SECRET, DEV_JWT_SECRET, DEV_PAYMENT_WEBHOOK_SECRET } from './dev-secrets';

export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  DEV_JWT_SECRET,
  DEV_PAYMENT_WEBHOOK_SECRET,
  DEV_CARRIER_WEBHOOK_SECRET,
  // docker-compose.yml's defaults before it required the secrets from the shell
  'compose-local-secret-change-me-0123456789',
  'compose-payment-webhook-secret',
  'compose-carrier-webhook-secret',
  // deploy/k8s/secret.example.yaml
  'change-me-to-at-least-32-random-characters',
  'change-me',
]);

export const MIN_SECRET_BYTES = 32;
/** Fewer distinct characters than this is no random secret (`aaaa…`, `abab…`, `0000…1111`). */
const MIN_DISTINCT_CHARACTERS = 8;

/** Why `secret` must not be used in production, or null when it may. */
export function productionSecretProblem(secret: string): string | null {
  if (PUBLISHED_SECRETS.has(secret)) return 'is a value published in the repository: set a secret of your own';
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) return `must be at least ${MIN_SECRET_BYTES} bytes`;
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) return 'is too repetitive to be a random secret';
  return null;
}
