// An API key as an operator sees it (`handoff key list`). Presenters are the only code that
// shapes public JSON (DESIGN rule 3). Never the key: only its SHA-256 is stored, and the prefix
// tells keys apart.
import { timestampOut } from '../../lib/timestamps.ts';

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** `{id, name, prefix, createdAt, lastUsedAt, revokedAt}`: times as API timestamps; null = never used, not revoked */
export const presentApiKey = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: timestampOut(k.created_at),
  lastUsedAt: timestampOut(k.last_used_at),
  revokedAt: timestampOut(k.revoked_at),
});

export type ApiKey = ReturnType<typeof presentApiKey>;
