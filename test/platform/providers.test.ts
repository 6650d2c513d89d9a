/**
 * PROVIDERS, the one setting that picks the payment provider and carrier for the API and the
 * workers alike (platform/env.ts): both read it the same way, and a process configured for real
 * providers, which this build has no adapters for, refuses to start instead of simulating.
 */
import { randomBytes } from 'node:crypto';
import { providerAdapters } from '../../activities/adapters/providers';
import { SimulatedCarrier } from '../../activities/adapters/simulated-carrier';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { loadApiConfig, paymentProviderOf } from '../../api/config';
import { providersOf } from '../../platform/env';
import type { Db } from '../../prisma/client';
import { loadWorkerConfig } from '../../workers/config';

/** What production must set whatever the providers: secrets of its own (api/published-secrets.ts). */
const PRODUCTION_SECRETS = Object.fromEntries(
  ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'].map((k) => [
    k,
    randomBytes(48).toString('base64'),
  ]),
);

const loaders = [
  ['api', (env: NodeJS.ProcessEnv) => providersOf(loadApiConfig(env))],
  ['worker', (env: NodeJS.ProcessEnv) => providersOf(loadWorkerConfig(env))],
] as const;

describe.each(loaders)('the %s configuration', (_role, load) => {
  it('runs the simulators outside production by default, and when told so in production', () => {
    expect(load({})).toBe('simulated');
    expect(load({ NODE_ENV: 'test' })).toBe('simulated');
    expect(load({ NODE_ENV: 'production', PROVIDERS: 'simulated', ...PRODUCTION_SECRETS })).toBe('simulated');
  });

  it.each([
    ['PROVIDERS=external', { PROVIDERS: 'external' }],
    ['production without PROVIDERS', { NODE_ENV: 'production', ...PRODUCTION_SECRETS }],
  ])('refuses to start with %s: no adapter for a real provider exists', (_case, env) => {
    expect(() => load(env)).toThrow(/PROVIDERS: external .*set PROVIDERS=simulated/);
  });

  it('refuses a value it does not know', () => {
    expect(() => load({ PROVIDERS: 'stripe' })).toThrow(/PROVIDERS/);
  });
});

test('the API serves the simulated bank exactly when the workers run the simulators', () => {
  const config = loadApiConfig({ PROVIDERS: 'simulated' });
  expect(paymentProviderOf(config)).toBe(providersOf(loadWorkerConfig({ PROVIDERS: 'simulated' })));
});

test('the workers build the simulators for simulated, and nothing for external', () => {
  const db = {} as Db;
  const adapters = providerAdapters('simulated', db, { simPaymentLatencyMs: 0 });
  expect(adapters.paymentProvider).toBeInstanceOf(SimulatedPaymentProvider);
  expect(adapters.carrier).toBeInstanceOf(SimulatedCarrier);
  expect(() => providerAdapters('external', db, { simPaymentLatencyMs: 0 })).toThrow(/^PROVIDERS: external/);
});
