import { createHash, randomBytes, randomUUID } from 'node:crypto';

const API_KEY_PREFIX = 'hk_';

/** A new API key: `hk_` + 40 hex chars (160 bits of randomness). */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(20).toString('hex');
}

/** What is shown to humans to tell keys apart; too short to help guess the key. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSigningKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Event ids are UUIDv7 (RFC 9562): a UUID as API.md §4.5 asks, but time-ordered, so the
 * outbox's unique index grows at its end instead of taking a random page write per event.
 */
export function newEventId(): string {
  // randomUUID draws from a cached entropy pool (randomBytes per call showed in profiles);
  // its version-4 layout is kept but for the 48-bit millisecond prefix and the version nibble.
  const random = randomUUID();
  const ms = Date.now().toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${random.slice(15)}`;
}
