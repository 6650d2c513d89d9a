/**
 * The Temporal connection options every process builds from its configuration (TLS, mTLS, API
 * key), and the configuration that refuses half an mTLS setup. No server: the builder is pure but
 * for reading the PEM files, which the tests hand it.
 */
import { loadApiConfig } from '../../api/config';
import { temporalConnectionOptions } from '../../platform/temporal-connection';
import { loadWorkerConfig } from '../../workers/config';

const ADDRESS = 'temporal.example:7233';
const files: Record<string, string> = {
  '/tls/client.pem': 'CERT',
  '/tls/client.key': 'KEY',
  '/tls/ca.pem': 'CA',
};
const readFile = (path: string): Uint8Array => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return Buffer.from(content);
};
const bytes = (text: string) => Buffer.from(text);
const options = (env: Record<string, string>) =>
  temporalConnectionOptions({ TEMPORAL_ADDRESS: ADDRESS, ...env }, readFile);

test('nothing configured: plaintext, only the address (the dev server and in-cluster frontend)', () => {
  expect(options({})).toEqual({ address: ADDRESS });
});

test('an API key alone: TLS with the system roots, and the key', () => {
  expect(options({ TEMPORAL_API_KEY: 'key-1' })).toEqual({ address: ADDRESS, tls: true, apiKey: 'key-1' });
});

test('a client certificate and key: mTLS with that pair', () => {
  expect(options({ TEMPORAL_TLS_CERT_PATH: '/tls/client.pem', TEMPORAL_TLS_KEY_PATH: '/tls/client.key' })).toEqual({
    address: ADDRESS,
    tls: { clientCertPair: { crt: bytes('CERT'), key: bytes('KEY') } },
  });
});

test('mTLS with a private CA and a server name; an API key on top is sent too', () => {
  expect(
    options({
      TEMPORAL_TLS_CERT_PATH: '/tls/client.pem',
      TEMPORAL_TLS_KEY_PATH: '/tls/client.key',
      TEMPORAL_TLS_CA_PATH: '/tls/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
      TEMPORAL_API_KEY: 'key-2',
    }),
  ).toEqual({
    address: ADDRESS,
    tls: {
      clientCertPair: { crt: bytes('CERT'), key: bytes('KEY') },
      serverRootCACertificate: bytes('CA'),
      serverNameOverride: 'frontend.temporal.internal',
    },
    apiKey: 'key-2',
  });
});

test('a CA alone: server-authenticated TLS without a client certificate', () => {
  expect(options({ TEMPORAL_TLS_CA_PATH: '/tls/ca.pem' })).toEqual({
    address: ADDRESS,
    tls: { serverRootCACertificate: bytes('CA') },
  });
});

test('an unreadable file stops start-up naming the variable, not the content', () => {
  expect(() =>
    options({ TEMPORAL_TLS_CERT_PATH: '/tls/client.pem', TEMPORAL_TLS_KEY_PATH: '/tls/missing.key' }),
  ).toThrow(/^TEMPORAL_TLS_KEY_PATH: cannot read \/tls\/missing\.key \(ENOENT\)$/);
});

test('half an mTLS configuration is refused by the API and worker configuration and by the builder', () => {
  const halves = [
    [{ TEMPORAL_TLS_CERT_PATH: '/tls/client.pem' }, 'TEMPORAL_TLS_KEY_PATH'],
    [{ TEMPORAL_TLS_KEY_PATH: '/tls/client.key' }, 'TEMPORAL_TLS_CERT_PATH'],
  ] as const;
  for (const [env, missing] of halves) {
    for (const load of [loadApiConfig, loadWorkerConfig]) {
      expect(() => load({ ...env })).toThrow(new RegExp(`invalid configuration:\\n  ${missing}: .*set together`));
    }
    expect(() => options(env)).toThrow(/must be set together/);
  }
  // Whole, or absent, is accepted.
  expect(loadWorkerConfig({}).TEMPORAL_TLS_CERT_PATH).toBeUndefined();
  expect(
    loadApiConfig({ TEMPORAL_TLS_CERT_PATH: '/tls/client.pem', TEMPORAL_TLS_KEY_PATH: '/tls/client.key' })
      .TEMPORAL_TLS_KEY_PATH,
  ).toBe('/tls/client.key');
});

test('empty values are refused rather than read as a path or key', () => {
  expect(() => loadApiConfig({ TEMPORAL_API_KEY: '' })).toThrow(/TEMPORAL_API_KEY/);
  expect(() => loadWorkerConfig({ TEMPORAL_TLS_CA_PATH: '' })).toThrow(/TEMPORAL_TLS_CA_PATH/);
});
