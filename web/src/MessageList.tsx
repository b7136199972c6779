// Messages oldest at the top, the view kept at the newest. Text is rendered as React text —
// never as HTML — so whatever a customer types is shown, not run.
import { useEffect, useRef } from 'react';
import { fullTime, shortTime } from './format.ts';
import type { Message } from './types.ts';

export function MessageList({ messages }: { messages: Message[] }) {
  const end = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1]?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [last]);

  if (messages.length === 0) return <p className="muted center messages">No messages yet.</p>;
  return (
    <ol className="messages" aria-label="Messages">
      {messages.map((m) => {
        const note = m.type === 'private';
        const kind = note ? 'note' : m.from === 'agent' ? 'agent' : 'customer';
        const who = m.from === 'agent' ? (m.agent?.name ?? 'Agent') : 'Customer';
        return (
          <li key={m.id} className={`message ${kind}`} data-message={m.id}>
            <div className="bubble">
              {note && <span className="note-label">Private note</span>}
              <p className="message-text">{m.text ?? ''}</p>
            </div>
            <span className="message-meta" title={fullTime(m.createdAt)}>
              {who} · {shortTime(m.createdAt)}
            </span>
          </li>
        );
      })}
      <div ref={end} />
    </ol>
  );
}
