// The session decides the page: none → sign-in, one → the inbox. On load the session is read
// again (GET /v1/inbox/session) because the CSRF token lives only in memory.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, onSignedOut, setCsrfToken } from './api.ts';
import { Inbox } from './Inbox.tsx';
import { SignIn } from './SignIn.tsx';
import type { Session } from './types.ts';

type State = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  }, []);
  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setState({ kind: 'signed-out' });
  }, []);

  useEffect(() => {
    onSignedOut(signedOut);
    api
      .get<{ data: Session }>('/v1/inbox/session', { quiet401: true })
      .then((r) => signedIn(r.data))
      .catch(() => signedOut());
  }, [signedIn, signedOut]);

  // The live stream was refused: a 401 here sends the page to sign-in (api.ts does it).
  const checkSession = useCallback(() => {
    api.get<{ data: Session }>('/v1/inbox/session').catch((e) => {
      if (!(e instanceof ApiError)) console.warn('session check failed', e);
    });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/v1/inbox/session');
    } finally {
      signedOut();
    }
  }, [signedOut]);

  if (state.kind === 'loading') return <p className="boot">Loading…</p>;
  if (state.kind === 'signed-out') return <SignIn onSignedIn={signedIn} />;
  return <Inbox session={state.session} onSignOut={signOut} onStreamClosed={checkSession} />;
}
