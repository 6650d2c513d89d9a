/**
 * The payment provider and carrier adapters of a worker, chosen by PROVIDERS (platform/env.ts), the
 * setting the API reads too. A real provider or carrier is a new adapter class and a case here.
 */
import { NO_EXTERNAL_PROVIDERS, type Providers } from '../../platform/env';
import type { Db } from '../../prisma/client';
import type { Carrier } from './carrier';
import type { PaymentProvider } from './payment-provider';
import { SimulatedCarrier } from './simulated-carrier';
import { SimulatedPaymentProvider } from './simulated-payment-provider';

export interface ProviderAdapters {
  paymentProvider: PaymentProvider;
  carrier: Carrier;
}

export interface ProviderOptions {
  /** Simulated payment provider only: milliseconds each charge takes to answer. */
  simPaymentLatencyMs: number;
}

export function providerAdapters(providers: Providers, db: Db, options: ProviderOptions): ProviderAdapters {
  switch (providers) {
    case 'simulated':
      return {
        paymentProvider: new SimulatedPaymentProvider(db, { latencyMs: options.simPaymentLatencyMs }),
        carrier: new SimulatedCarrier(db),
      };
    case 'external':
      // The configuration schemas refuse this already; a caller that skipped them must not simulate.
      throw new Error(`PROVIDERS: ${NO_EXTERNAL_PROVIDERS}`);
  }
}
