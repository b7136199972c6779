// One chat: its messages (oldest at the top), the reply box, and beside them what an agent does
// to a chat — status, snooze, assignee — and who had it when. Every change answers with the
// whole chat, which replaces ours; a refusal (403, 404…) is shown and the chat read again, so
// the page always shows what the server holds. Key `a` assigns the chat to me.
import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from './api.ts';
import { AssigneePicker } from './AssigneePicker.tsx';
import { ChatControls } from './ChatControls.tsx';
import { customerName, isShortcut, statusLabel } from './format.ts';
import { History } from './History.tsx';
import { useLive } from './live.tsx';
import { MessageList } from './MessageList.tsx';
import { ReplyBox } from './ReplyBox.tsx';
import { openChat } from './route.ts';
import type { AgentRef, Assignment, Chat, InboxAgent, List, Message } from './types.ts';

interface Props {
  chatId: number;
  me: AgentRef;
  agents: InboxAgent[];
  onAssigned: () => void;
}

export function ChatView({ chatId, me, agents, onAssigned }: Props) {
  const live = useLive();
  const [chat, setChat] = useState<Chat | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [history, setHistory] = useState<Assignment[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    api
      .get<Chat>(`/v1/chats/${chatId}`)
      .then((c) => {
        if (!current) return;
        setChat(c);
        setLoadError(null);
        if (!c.readByAgent) api.put('/v1/chats/readByAgent', { id: c.id, read: true }).catch(() => {});
      })
      .catch((e) => current && setLoadError(errorText(e)));
    api
      .get<List<Assignment>>(`/v1/chats/${chatId}/assignments?limit=100`)
      .then((r) => current && setHistory(r.data))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [chatId, live.chats, reloads]);

  useEffect(() => {
    let current = true;
    api
      .get<List<Message>>(`/v1/chats/${chatId}/messages?limit=100`)
      .then((r) => current && setMessages([...r.data].reverse())) // newest first on the wire
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [chatId, live.messages, reloads]);

  /** a change to this chat: the answer replaces it; a refusal is shown and the chat read again */
  const change = useCallback(
    async (path: string, body: Record<string, unknown>) => {
      setAlert(null);
      try {
        setChat(await api.put<Chat>(path, { id: chatId, ...body }));
        if (path === '/v1/chats/assignee') onAssigned();
        reload();
      } catch (e) {
        setAlert(errorText(e));
        reload();
      }
    },
    [chatId, onAssigned, reload],
  );

  const assign = useCallback((assignee: number | null) => change('/v1/chats/assignee', { assignee }), [change]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!isShortcut(e, 'a')) return;
      e.preventDefault();
      void assign(me.id);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [assign, me.id]);

  async function send(text: string, type: 'message' | 'private') {
    setAlert(null);
    try {
      await api.post('/v1/messages', { chat: chatId, text, type });
      reload();
      return true;
    } catch (e) {
      setAlert(errorText(e));
      return false;
    }
  }

  if (loadError && !chat) {
    return (
      <div className="empty-state">
        <p className="error" role="alert">
          {loadError}
        </p>
        <button type="button" className="ghost" onClick={() => openChat(null)}>
          Back to the list
        </button>
      </div>
    );
  }
  if (!chat) return <p className="muted center">Loading chat…</p>;

  const name = customerName(chat.customer);
  return (
    <div className="chat">
      <header className="chat-head">
        <button type="button" className="ghost back" onClick={() => openChat(null)} aria-label="Back to the list">
          ← Chats
        </button>
        <div className="chat-title">
          <h2>{name}</h2>
          <span className="muted">
            {chat.customer.email ?? 'no email'} · chat #{chat.id}
            {chat.department ? ` · ${chat.department.name}` : ''}
          </span>
        </div>
        <span className={`badge status-${chat.status.replace(/\s+/g, '-')}`}>{statusLabel(chat.status)}</span>
      </header>
      {alert && (
        <div className="alert" role="alert">
          <span>{alert}</span>
          <button type="button" className="ghost small" onClick={() => setAlert(null)} aria-label="Dismiss the message">
            ×
          </button>
        </div>
      )}
      <div className="chat-body">
        <section className="conversation" aria-label="Conversation">
          <MessageList messages={messages} />
          <ReplyBox onSend={send} />
        </section>
        <aside className="chat-side" aria-label="Chat details">
          <ChatControls chat={chat} onChange={change} />
          <AssigneePicker chat={chat} me={me} agents={agents} onAssign={assign} />
          <History rows={history} />
        </aside>
      </div>
    </div>
  );
}
