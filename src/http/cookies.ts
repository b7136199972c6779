// The one cookie Handoff sets (the inbox session, docs/inbox.md), read and written by hand:
// RFC 6265 name=value pairs are all a session needs.

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? null : value;
  }
  return null;
}

export interface CookieOptions {
  /** seconds; 0 clears the cookie */
  maxAge: number;
  /** set when the request came over HTTPS (directly or through a proxy that said so) */
  secure: boolean;
}

/** HttpOnly (no script reads it) and SameSite=Lax (no cross-site POST carries it). */
export function setCookieHeader(name: string, value: string, o: CookieOptions): string {
  return `${name}=${value}; Path=/; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}
