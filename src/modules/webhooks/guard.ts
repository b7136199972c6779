// The SSRF guard (issue 6 item 4): a webhook URL is http or https, and the address it will be
// sent to — every address its host resolves to, not the URL's text — is public. The address
// checked is the address connected to (delivery/sender.ts pins it), so a second DNS answer cannot
// swap in a private one between check and use. WEBHOOK_ALLOW_PRIVATE=1 lifts the address rule
// (a receiver on the same host or network); the scheme rule always holds.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedRange } from './address-check.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** every address a host name resolves to (injectable so tests never query real DNS) */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** The URL may not be used; `message` says why in words for the API's 400 and the delivery log. */
export class UrlRefused extends Error {
  constructor(
    message: string,
    /** true when the address rule refused it (logged as `blocked`), false for a malformed URL or DNS failure */
    readonly blocked: boolean,
  ) {
    super(message);
  }
}

export interface Target {
  url: URL;
  /** the vetted address to connect to */
  address: ResolvedAddress;
}

export interface Guard {
  /** the URL parsed and its vetted address, or UrlRefused */
  vet(rawUrl: string): Promise<Target>;
}

/** Only the scheme and shape; no DNS. For validating input before anything else. */
export function parseWebhookUrl(rawUrl: string): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UrlRefused('This value is not a valid URL.', false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused('Only http and https URLs are allowed.', false);
  if (url.hostname === '') throw new UrlRefused('This value is not a valid URL.', false);
  return url;
}

export function createGuard(opts: { allowPrivate: boolean; resolve?: Resolver }): Guard {
  const resolve = opts.resolve ?? systemResolver;
  const check = (host: string, a: ResolvedAddress) => {
    if (opts.allowPrivate) return;
    const refused = refusedRange(a.address);
    if (!refused) return;
    // A literal address is the tenant's own text, so the range may be named; what a name
    // resolves to is the server's network, never told to a tenant (issue 15).
    if (host === a.address) throw new UrlRefused(`The address ${host} is not allowed: ${refused}.`, true);
    throw new UrlRefused(`The address of ${host} is not allowed: it is not a public internet address.`, true);
  };
  return {
    async vet(rawUrl) {
      const url = parseWebhookUrl(rawUrl);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const literal = isIP(host);
      if (literal) {
        const address = { address: host, family: literal as 4 | 6 };
        check(host, address);
        return { url, address };
      }
      // RFC 6761: localhost names are loopback whatever a resolver says.
      if (!opts.allowPrivate && /(^|\.)localhost\.?$/i.test(host)) {
        throw new UrlRefused(`The address of ${host} is not allowed: loopback (localhost).`, true);
      }
      let addresses: ResolvedAddress[];
      try {
        addresses = await resolve(host);
      } catch {
        addresses = [];
      }
      if (addresses.length === 0) throw new UrlRefused(`The host ${host} could not be resolved.`, false);
      // Every address must pass: a name with one public and one private address is refused,
      // since which of them a connection would use is not ours to choose.
      for (const a of addresses) check(host, a);
      return { url, address: addresses[0] };
    },
  };
}
