/** api/http/client-address.ts: X-Forwarded-For only through trusted hops, IPv6 keyed by its /64. */
import {
  addressKey,
  parseCidr,
  resolveClientAddress,
  trustedProxyList,
  type Cidr,
} from '../../api/http/client-address';
import { loadApiConfig } from '../../api/config';

const trusted = (...cidrs: string[]) => trustedProxyList(cidrs.map((c) => parseCidr(c) as Cidr));

describe('resolveClientAddress', () => {
  const ingress = trusted('10.0.0.0/8', 'fd00::/8');

  test('without trusted proxies the socket peer is the client, whatever the header says', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', null)).toBe('203.0.113.7');
  });

  test('an untrusted peer cannot spoof its address with X-Forwarded-For', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1, 10.0.0.5', ingress)).toBe('203.0.113.7');
  });

  test('through a trusted peer the rightmost untrusted hop is the client; what it wrote itself is ignored', () => {
    expect(resolveClientAddress('10.1.2.3', '198.51.100.1', ingress)).toBe('198.51.100.1');
    // The client sent "X-Forwarded-For: 1.2.3.4"; the ingress appended the real address.
    expect(resolveClientAddress('10.1.2.3', '1.2.3.4, 198.51.100.1', ingress)).toBe('198.51.100.1');
    // Two trusted hops (a load balancer, then the ingress) are skipped.
    expect(resolveClientAddress('10.1.2.3', '1.2.3.4, 198.51.100.1, 10.9.9.9', ingress)).toBe('198.51.100.1');
  });

  test('a trusted peer without the header, and a chain of only trusted hops', () => {
    expect(resolveClientAddress('10.1.2.3', undefined, ingress)).toBe('10.1.2.3');
    expect(resolveClientAddress('10.1.2.3', '10.4.4.4, 10.5.5.5', ingress)).toBe('10.4.4.4');
  });

  test('a malformed hop ends the walk at the last trusted hop', () => {
    expect(resolveClientAddress('10.1.2.3', 'evil, not-an-ip', ingress)).toBe('10.1.2.3');
    expect(resolveClientAddress('10.1.2.3', 'garbage, 10.7.7.7', ingress)).toBe('10.7.7.7');
  });

  test('IPv4-mapped IPv6 peers match IPv4 ranges; IPv6 proxies work too', () => {
    expect(resolveClientAddress('::ffff:10.1.2.3', '198.51.100.1', ingress)).toBe('198.51.100.1');
    expect(resolveClientAddress('fd12::1', '2001:db8::9', ingress)).toBe('2001:db8::9');
  });

  test('no peer at all is unknown', () => {
    expect(resolveClientAddress(undefined, '198.51.100.1', ingress)).toBe('unknown');
  });
});

describe('addressKey', () => {
  test('IPv4 is keyed as is', () => {
    expect(addressKey('198.51.100.1')).toBe('198.51.100.1');
  });

  test('IPv6 addresses of one /64 share a key, other /64s do not', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:abcd::')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });
});

describe('TRUSTED_PROXIES', () => {
  test('defaults to none and parses CIDRs and single addresses', () => {
    expect(loadApiConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadApiConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1,fd00::/8' }).TRUSTED_PROXIES).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '192.168.1.1', prefix: 32, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ]);
  });

  test.each(['10.0.0.0/33', 'not-an-ip', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/x'])('refuses %s', (value) => {
    expect(() => loadApiConfig({ TRUSTED_PROXIES: value })).toThrow(/TRUSTED_PROXIES/);
  });
});
