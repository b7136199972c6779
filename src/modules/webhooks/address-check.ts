// The SSRF guard's address rule (issue 6 item 4), a pure function: which addresses a webhook may
// never be sent to. Everything that is not globally routable unicast is refused: loopback,
// private (RFC 1918), carrier-grade NAT (RFC 6598), link-local with the cloud metadata address,
// unique-local IPv6, multicast, broadcast, reserved and documentation ranges (RFC 6890's special
// registries), and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) when the embedded
// address is refused. No connection is ever made here.
import { isIPv4, isIPv6 } from 'node:net';

interface Range {
  bytes: number[];
  bits: number;
  name: string;
}

const v4 = (cidr: string, name: string): Range => {
  const [addr, bits] = cidr.split('/');
  return { bytes: addr.split('.').map(Number), bits: Number(bits), name: `${name} (${cidr})` };
};
const v6 = (cidr: string, name: string): Range => {
  const [addr, bits] = cidr.split('/');
  return { bytes: parseIPv6(addr)!, bits: Number(bits), name: `${name} (${cidr})` };
};

const IPV4_REFUSED: Range[] = [
  v4('0.0.0.0/8', '"this network"'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.169.254/32', 'cloud metadata'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', '6to4 relay anycast'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

/** IPv6 ranges that carry an IPv4 address in their last 32 bits: judged by that address */
const IPV6_EMBEDDING_V4: Range[] = [v6('::ffff:0:0/96', 'IPv4-mapped'), v6('::ffff:0:0:0/96', 'IPv4-translated'), v6('64:ff9b::/96', 'NAT64')];

const IPV6_REFUSED: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::/96', 'IPv4-compatible (deprecated)'),
  v6('64:ff9b:1::/48', 'local NAT64'),
  v6('100::/64', 'discard-only'),
  v6('2001::/32', 'Teredo'),
  v6('2001:db8::/32', 'documentation'),
  v6('3fff::/20', 'documentation'), // RFC 9637
  v6('5f00::/16', 'segment routing (SRv6) SIDs'), // RFC 9602: never a host's address
  v6('2001::/23', 'IETF protocol assignments'),
  v6('fd00:ec2::254/128', 'cloud metadata'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local (deprecated)'),
  v6('ff00::/8', 'multicast'),
];

const matches = (bytes: number[], r: Range) => {
  for (let bit = 0; bit < r.bits; bit += 8) {
    const take = Math.min(8, r.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8] & mask) !== (r.bytes[bit / 8] & mask)) return false;
  }
  return true;
};

/**
 * Why `address` (an IPv4 or IPv6 literal, optionally with an IPv6 zone) must not receive a
 * webhook, or null when it is a public unicast address.
 */
export function refusedRange(address: string): string | null {
  const text = address.replace(/^\[|\]$/g, '');
  if (isIPv4(text)) return checkV4(text.split('.').map(Number));
  const bytes = isIPv6(text) ? parseIPv6(text.replace(/%.*$/, '')) : null;
  if (!bytes) return 'not an IP address';
  for (const r of IPV6_EMBEDDING_V4) {
    if (matches(bytes, r)) {
      const inner = checkV4(bytes.slice(12));
      return inner && `${r.name} ${inner}`;
    }
  }
  // 6to4 (2002::/16) routes to the IPv4 address in bits 16..47.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    const inner = checkV4(bytes.slice(2, 6));
    return inner && `6to4 (2002::/16) ${inner}`;
  }
  return IPV6_REFUSED.find((r) => matches(bytes, r))?.name ?? null;
}

function checkV4(bytes: number[]): string | null {
  return IPV4_REFUSED.find((r) => matches(bytes, r))?.name ?? null;
}

/** 16 bytes of an IPv6 literal (with `::` and a trailing dotted IPv4 allowed), or null */
export function parseIPv6(text: string): number[] | null {
  let head = text;
  const tailBytes: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!isIPv4(dotted[2])) return null;
    head = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
    tailBytes.push(...dotted[2].split('.').map(Number));
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const total = 8 - tailBytes.length / 2;
  const missing = total - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return [...bytes, ...tailBytes];
}
