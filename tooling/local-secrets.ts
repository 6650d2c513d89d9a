/**
 * The API's secrets for `npm start`, which runs with NODE_ENV=production and so refuses the
 * development defaults published in this repository. Made once per checkout (32 random bytes each)
 * and kept in .data/secrets.json, git-ignored and readable by its owner only, so tokens stay valid
 * across restarts of the stack. A variable set in the environment wins over the file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from './paths';

const SECRET_NAMES = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'] as const;
type LocalSecrets = Record<(typeof SECRET_NAMES)[number], string>;

const fileSchema = z.object(Object.fromEntries(SECRET_NAMES.map((name) => [name, z.string().min(32)])));

export function localSecrets(env: NodeJS.ProcessEnv, file = path.join(DATA_DIR, 'secrets.json')): LocalSecrets {
  let stored: Record<string, string> | undefined;
  if (existsSync(file)) stored = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (!stored) {
    stored = Object.fromEntries(SECRET_NAMES.map((name) => [name, randomBytes(32).toString('base64url')]));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const secrets = stored;
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, env[name] ?? secrets[name]!])) as LocalSecrets;
}
