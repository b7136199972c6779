// Tabs Mine / Unassigned / All, department and status filters, a search by the customer's name
// or email — all answered by GET /v1/inbox/chats. Paged by "Load more"; a live change reloads
// the pages already shown. Keys: j/k move to the next/previous chat and open it, / searches.
import { useEffect, useRef, useState } from 'react';
import { api, errorText, query } from './api.ts';
import { ChatRow } from './ChatRow.tsx';
import { FILTER_STATUSES, isShortcut, statusLabel } from './format.ts';
import { useLive } from './live.tsx';
import { currentChatId, openChat } from './route.ts';
import type { AgentRef, Chat, Department, List } from './types.ts';

const PAGE = 25;
const VIEWS = [
  { id: 'mine', label: 'Mine' },
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'all', label: 'All' },
] as const;
type View = (typeof VIEWS)[number]['id'];

interface Props {
  selectedId: number | null;
  me: AgentRef;
  departments: Department[];
}

export function ChatList({ selectedId, me, departments }: Props) {
  const live = useLive();
  const [view, setView] = useState<View>('mine');
  const [department, setDepartment] = useState('');
  const [status, setStatus] = useState('');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [shown, setShown] = useState(PAGE);
  const [chats, setChats] = useState<Chat[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // Typing settles before the search runs.
  useEffect(() => {
    const t = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed]);

  useEffect(() => setShown(PAGE), [view, department, status, q]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .get<List<Chat>>(`/v1/inbox/chats${query({ view, department, status, q, limit: Math.min(shown, 100), offset: 0 })}`)
      .then(async (first) => {
        // More than one API page shown ("Load more" past 100): read the rest.
        let data = first.data;
        while (data.length < shown && data.length < (first.meta?.total ?? 0)) {
          const next = await api.get<List<Chat>>(`/v1/inbox/chats${query({ view, department, status, q, limit: Math.min(shown - data.length, 100), offset: data.length })}`);
          if (next.data.length === 0) break;
          data = data.concat(next.data);
        }
        if (!current) return;
        setChats(data);
        setTotal(first.meta?.total ?? data.length);
        setError(null);
      })
      .catch((e) => current && setError(errorText(e)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [view, department, status, q, shown, live.chats]);

  // j/k: the next or previous chat of the list, opened; / focuses the search.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (isShortcut(e, '/')) {
        e.preventDefault();
        search.current?.focus();
        return;
      }
      const step = isShortcut(e, 'j') ? 1 : isShortcut(e, 'k') ? -1 : 0;
      if (!step || chats.length === 0) return;
      e.preventDefault();
      const open = currentChatId();
      const at = chats.findIndex((c) => c.id === open);
      const next = at === -1 ? (step > 0 ? 0 : chats.length - 1) : Math.min(chats.length - 1, Math.max(0, at + step));
      openChat(chats[next].id);
      // Focus follows, so Enter, Tab and a screen reader stay where the eyes are.
      requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-chat="${chats[next].id}"]`)?.focus());
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [chats]);

  return (
    <section className="list-pane" aria-label="Chats">
      <div className="tabs" role="tablist" aria-label="Which chats">
        {VIEWS.map((v, i) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            id={`tab-${v.id}`}
            aria-selected={view === v.id}
            aria-controls="chat-list"
            tabIndex={view === v.id ? 0 : -1}
            className="tab"
            onClick={() => setView(v.id)}
            onKeyDown={(e) => {
              // The tab pattern: one tab stop, arrows move between the tabs and select them.
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length];
              setView(next.id);
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            {v.label}
          </button>
        ))}
      </div>
      <div className="filters">
        <input
          ref={search}
          type="search"
          className="search"
          placeholder="Search name or email  ( / )"
          aria-label="Search chats by customer name or email"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && (e.currentTarget.blur(), setTyped(''))}
        />
        <div className="filter-row">
          <select aria-label="Department" value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">All departments</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            {FILTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div id="chat-list" role="tabpanel" aria-labelledby={`tab-${view}`} className="list-scroll" aria-busy={loading}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ul ref={listRef} className="chat-list" aria-label="Chat list">
          {chats.map((c) => (
            <ChatRow key={c.id} chat={c} selected={c.id === selectedId} mine={c.assignee?.id === me.id} />
          ))}
        </ul>
        {!loading && chats.length === 0 && !error && <p className="muted center">{q ? `No chats match “${q}”.` : 'No chats here.'}</p>}
        {chats.length < total && (
          <button type="button" className="ghost load-more" onClick={() => setShown((n) => n + PAGE)} disabled={loading}>
            Load more ({total - chats.length} left)
          </button>
        )}
      </div>
    </section>
  );
}
