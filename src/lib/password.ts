// Agents' inbox passwords (docs/inbox.md): scrypt from node:crypto (DESIGN: no native addon),
// stored as `scrypt$N$r$p$salt$hash` so the cost can be raised later without invalidating
// the passwords already set.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// N=2^15, r=8 (32 MiB per guess) costs ~100 ms per hash on a 2-core machine: slow enough to
// make offline guessing expensive, fast enough for a sign-in. OWASP's 2^17 would take ~0.4 s
// and 128 MiB per concurrent sign-in. Failed sign-ins are rate limited per account and per
// address on top.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 128 * N * R * 2;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** false for a wrong password and for a stored value that is not one of our hashes */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password for `handoff agent password` without --password: 20 characters, ~119 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** A secret handed to a browser (session cookie, CSRF token): 256 bits, URL- and cookie-safe. */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
