// The signed-in page: a top bar (presence, live state, sign-out), the chat list and the open
// chat side by side — stacked on a narrow screen, where the open chat hides the list.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';
import { ChatList } from './ChatList.tsx';
import { ChatView } from './ChatView.tsx';
import { LiveProvider, useLive } from './live.tsx';
import { PresenceSwitch } from './PresenceSwitch.tsx';
import { useRoute } from './route.ts';
import type { Department, InboxAgent, List, Session } from './types.ts';

interface Props {
  session: Session;
  onSignOut: () => void;
  onStreamClosed: () => void;
}

export function Inbox({ session, onSignOut, onStreamClosed }: Props) {
  return (
    <LiveProvider onClosed={onStreamClosed}>
      <InboxPage session={session} onSignOut={onSignOut} />
    </LiveProvider>
  );
}

/** Every agent with presence and load: the picker and the presence switch read it. */
function useAgents(): [InboxAgent[], () => void] {
  const live = useLive();
  const [agents, setAgents] = useState<InboxAgent[]>([]);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let current = true;
    api
      .get<List<InboxAgent>>('/v1/inbox/agents')
      .then((r) => current && setAgents(r.data))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [live.agents, nonce]);
  return [agents, useCallback(() => setNonce((n) => n + 1), [])];
}

function InboxPage({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { chatId } = useRoute();
  const live = useLive();
  const [agents, reloadAgents] = useAgents();
  const [departments, setDepartments] = useState<Department[]>([]);
  const me = agents.find((a) => a.id === session.agent.id) ?? { ...session.agent, openChats: 0 };

  useEffect(() => {
    api
      .get<List<Department>>('/v1/departments?limit=100')
      .then((r) => setDepartments(r.data))
      .catch(() => {});
  }, []);

  return (
    <div className={`inbox${chatId !== null ? ' has-chat' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" /> Handoff
          <span className="org">{session.organization.name}</span>
        </div>
        <div className="topbar-right">
          <span className={`live live-${live.connection}`} role="status">
            {live.connection === 'live' ? 'Live' : live.connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          <PresenceSwitch me={me} onChanged={reloadAgents} />
          <span className="me" title={session.agent.email}>
            {session.agent.name}
          </span>
          <button type="button" className="ghost" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="panes">
        <ChatList selectedId={chatId} me={session.agent} departments={departments} />
        <main className="chat-pane" aria-label="Chat">
          {chatId === null ? (
            <div className="empty-state">
              <h2>Pick a chat</h2>
              <p>
                <kbd>j</kbd>/<kbd>k</kbd> move through the list, <kbd>/</kbd> searches, <kbd>a</kbd> assigns the open chat to you.
              </p>
            </div>
          ) : (
            <ChatView key={chatId} chatId={chatId} me={session.agent} agents={agents} onAssigned={reloadAgents} />
          )}
        </main>
      </div>
    </div>
  );
}
