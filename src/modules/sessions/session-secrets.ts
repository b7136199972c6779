// What a browser holds of a session: the cookie (its SHA-256 finds the session) and the CSRF
// token every change must echo (docs/inbox.md). Pure; shared by sign-in and authentication.
import { sha256Hex } from '../../lib/crypto.ts';
import { newSessionSecret } from '../../lib/password.ts';

export const SESSION_COOKIE = 'handoff_session';

/** A session lasts this long after its last use (docs/inbox.md). */
export const SESSION_IDLE_SECONDS = 14 * 24 * 3600;

/** A session's last use is written at most this often: reads stay reads. */
export const SESSION_TOUCH_SECONDS = 60;

export function newSessionTokens() {
  const token = newSessionSecret();
  return { token, tokenHash: sha256Hex(token), csrfToken: newSessionSecret() };
}

export const sessionTokenHash = (token: string): string => sha256Hex(token);
