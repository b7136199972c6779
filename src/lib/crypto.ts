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

export const newEventId = (): string => randomUUID();
