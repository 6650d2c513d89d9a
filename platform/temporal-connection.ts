/**
 * How every process of the platform connects to Temporal: the address, and TLS from configuration.
 * Both the API's client and the workers' (native and client) connections build their options here,
 * so a deployment secures them all with one set of variables:
 * - mTLS: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH (PEM files; both or neither), with an
 *   optional TEMPORAL_TLS_CA_PATH (the server's CA, when the OS does not trust it) and
 *   TEMPORAL_TLS_SERVER_NAME (SNI / host name to check, when it differs from the address);
 * - or TEMPORAL_API_KEY (e.g. Temporal Cloud), which always goes over TLS: a bearer key in clear
 *   would hand the namespace to anyone on the path.
 * Nothing set: plaintext, as the local dev server and the in-cluster frontend expect.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';

const path = z.string().min(1);

export const temporalTlsEnvShape = {
  TEMPORAL_TLS_CERT_PATH: path.optional(),
  TEMPORAL_TLS_KEY_PATH: path.optional(),
  TEMPORAL_TLS_CA_PATH: path.optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
};

export interface TemporalConnectionConfig {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_TLS_CERT_PATH?: string | undefined;
  TEMPORAL_TLS_KEY_PATH?: string | undefined;
  TEMPORAL_TLS_CA_PATH?: string | undefined;
  TEMPORAL_TLS_SERVER_NAME?: string | undefined;
  TEMPORAL_API_KEY?: string | undefined;
}

/** For a process schema's superRefine: a client certificate without its key (or the reverse) is refused. */
export function refineTemporalTls(env: TemporalConnectionConfig, ctx: z.RefinementCtx): void {
  const cert = env.TEMPORAL_TLS_CERT_PATH !== undefined;
  const key = env.TEMPORAL_TLS_KEY_PATH !== undefined;
  if (cert === key) return;
  const missing = cert ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
  ctx.addIssue({
    code: 'custom',
    path: [missing],
    message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS), or neither',
  });
}

/** Options both Connection.connect (client) and NativeConnection.connect (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | true;
  apiKey?: string;
}

type ReadFile = (path: string) => Uint8Array;

/**
 * The connection options `config` asks for. Reads the PEM files once (at start-up); a file that
 * cannot be read stops the process with the variable's name, never the file's content.
 */
export function temporalConnectionOptions(
  config: TemporalConnectionConfig,
  readFile: ReadFile = (p) => readFileSync(p),
): TemporalConnectionOptions {
  const read = (variable: string, file: string): Uint8Array => {
    try {
      return readFile(file);
    } catch (error) {
      throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
        cause: error,
      });
    }
  };
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_CERT_PATH !== undefined || config.TEMPORAL_TLS_KEY_PATH !== undefined) {
    if (config.TEMPORAL_TLS_CERT_PATH === undefined || config.TEMPORAL_TLS_KEY_PATH === undefined) {
      // The schema refuses this already; kept for callers that build a config by hand.
      throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS), or neither');
    }
    tls.clientCertPair = {
      crt: read('TEMPORAL_TLS_CERT_PATH', config.TEMPORAL_TLS_CERT_PATH),
      key: read('TEMPORAL_TLS_KEY_PATH', config.TEMPORAL_TLS_KEY_PATH),
    };
  }
  if (config.TEMPORAL_TLS_CA_PATH !== undefined) {
    tls.serverRootCACertificate = read('TEMPORAL_TLS_CA_PATH', config.TEMPORAL_TLS_CA_PATH);
  }
  if (config.TEMPORAL_TLS_SERVER_NAME !== undefined) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;

  const customized = Object.keys(tls).length > 0;
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (customized) options.tls = tls;
  else if (config.TEMPORAL_API_KEY !== undefined) options.tls = true;
  if (config.TEMPORAL_API_KEY !== undefined) options.apiKey = config.TEMPORAL_API_KEY;
  return options;
}
