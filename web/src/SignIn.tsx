import { useState, type FormEvent } from 'react';
import { api, errorText } from './api.ts';
import type { Session } from './types.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // quiet401: a wrong password is an answer to show here, not a lost session.
      const r = await api.post<{ data: Session }>('/v1/inbox/session', { email, password }, { quiet401: true });
      onSignedIn(r.data);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark" /> Handoff
        </div>
        <h1 id="signin-title">Sign in to the inbox</h1>
        <label>
          Email
          <input type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          No password yet? An operator sets one with <code>npx handoff agent password</code>.
        </p>
      </form>
    </main>
  );
}
