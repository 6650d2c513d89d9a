/**
 * The client address per-client limits key on. Behind an ingress the socket's peer is the ingress,
 * so the address is taken from X-Forwarded-For, but only through hops we trust (TRUSTED_PROXIES):
 * the header is walked right to left, skipping trusted addresses, and the first untrusted one is
 * the client. Anything left of it was written by the client itself and is ignored. With no trusted
 * proxies (the default) the header is ignored altogether. IPv6 clients are keyed by their /64,
 * since one subscriber usually holds a whole /64 and could otherwise rotate addresses freely.
 */
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

type IpFamily = 'ipv4' | 'ipv6';

export interface Cidr {
  address: string;
  prefix: number;
  family: IpFamily;
}

/** `10.0.0.0/8`, `fd00::/8` or a single address; null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [rawAddress, rawPrefix, ...rest] = text.trim().split('/');
  if (rest.length > 0 || !rawAddress) return null;
  const address = normalizeAddress(rawAddress);
  if (!address) return null;
  const family: IpFamily = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  const max = family === 'ipv4' ? 32 : 128;
  if (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) return null;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  return prefix <= max ? { address, prefix, family } : null;
}

/** The address without a zone id, IPv4-mapped IPv6 as plain IPv4; null when not an IP address. */
function normalizeAddress(text: string): string | null {
  const address = text.trim().replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export function trustedProxyList(cidrs: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return list;
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 tails included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The rate-limit key of an address: IPv4 as is, IPv6 as its /64 (`2001:db8:1:2::/64`). */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address).slice(0, 4);
  return `${groups.map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * The client's address given the socket peer and the X-Forwarded-For header (see the module
 * comment); the un-keyed address, or 'unknown' when there is no peer.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList | null,
): string {
  const socket = peer === undefined ? null : normalizeAddress(peer);
  if (!socket) return 'unknown';
  const isTrusted = (a: string) => trusted !== null && trusted.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
  if (!isTrusted(socket) || !forwardedFor) return socket;
  const hops = forwardedFor.split(',');
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i] ?? '');
    // A malformed entry ends the walk: the last trusted hop is the best we know.
    if (!hop) return client;
    client = hop;
    if (!isTrusted(hop)) return hop;
  }
  return client; // every hop trusted: the leftmost is the origin
}

/** A function of the request giving its client's rate-limit key, for the given trusted proxies. */
export function clientAddressOf(trustedProxies: readonly Cidr[]): (c: Context) => string {
  const trusted = trustedProxies.length > 0 ? trustedProxyList(trustedProxies) : null;
  return (c) => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined; // in-process requests have no socket
    }
    const address = resolveClientAddress(peer, c.req.header('X-Forwarded-For'), trusted);
    return address === 'unknown' ? address : addressKey(address);
  };
}
