// The agent's own presence (PUT /v1/agents/{id}/status): routing sends chats to online agents.
import { useState } from 'react';
import { api, errorText } from './api.ts';
import { PRESENCES, presenceLabel } from './format.ts';
import type { Agent, Presence } from './types.ts';

export function PresenceSwitch({ me, onChanged }: { me: Agent; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function set(status: Presence) {
    setBusy(true);
    setError(null);
    try {
      await api.put(`/v1/agents/${me.id}/status`, { status });
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="presence-switch" role="group" aria-label="My presence">
      {PRESENCES.map((p) => (
        <button key={p} type="button" aria-pressed={me.status === p} disabled={busy} onClick={() => set(p)} className={`seg${me.status === p ? ' on' : ''}`}>
          <span className={`dot dot-${p}`} aria-hidden="true" />
          {presenceLabel(p)}
        </button>
      ))}
      {error && (
        <span className="error inline" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
