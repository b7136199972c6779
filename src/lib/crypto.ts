import { createHash, randomBytes } from 'node:crypto';

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
  const bytes = randomBytes(16);
  const ms = Date.now();
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
