// One EventSource per page (GET /v1/events/stream, same-origin, the session cookie). Events are
// not applied piecemeal: each one bumps a counter per topic and the views that show that topic
// refetch — the server's answer is the truth, and a burst of events costs one refetch (the
// counters move at most every DEBOUNCE_MS). EventSource reconnects by itself and resumes with
// Last-Event-ID; after a reconnect every topic is bumped anyway, in case something was missed.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

export type Topic = 'chats' | 'messages' | 'agents';
export type LiveState = Record<Topic, number> & { connection: 'connecting' | 'live' | 'reconnecting' };

const DEBOUNCE_MS = 150;

// EventSource hears only the event names it listens to (API.md's event list).
const TOPICS_OF: Record<string, Topic[]> = {
  'chat.new': ['chats', 'agents'],
  'chat.status_updated': ['chats', 'agents'],
  'chat.assigned': ['chats', 'agents'],
  'chat.snoozed': ['chats'],
  'chat.unsnoozed': ['chats'],
  'chat.closed': ['chats', 'agents'],
  'chat.rated': ['chats'],
  'message.chat.customer': ['messages', 'chats'],
  'message.chat.agent': ['messages', 'chats'],
  'message.private': ['messages', 'chats'],
  'agent.status_updated': ['agents'],
};

const initial: LiveState = { chats: 0, messages: 0, agents: 0, connection: 'connecting' };
const LiveContext = createContext<LiveState>(initial);

export function useLive(): LiveState {
  return useContext(LiveContext);
}

/** `onClosed`: the server refused the stream (e.g. the session ended); the app checks why. */
export function LiveProvider({ children, onClosed }: { children: ReactNode; onClosed: () => void }) {
  const [state, setState] = useState<LiveState>(initial);

  useEffect(() => {
    let source: EventSource | null = null;
    let pending = new Set<Topic>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const flush = () => {
      timer = null;
      const topics = pending;
      pending = new Set();
      setState((s) => {
        const next = { ...s };
        for (const t of topics) next[t] = s[t] + 1;
        return next;
      });
    };
    const bump = (topics: Topic[]) => {
      for (const t of topics) pending.add(t);
      timer ??= setTimeout(flush, DEBOUNCE_MS);
    };

    const open = () => {
      let wasOpen = false;
      source = new EventSource('/v1/events/stream', { withCredentials: true });
      for (const [name, topics] of Object.entries(TOPICS_OF)) source.addEventListener(name, () => bump(topics));
      source.onopen = () => {
        if (wasOpen) bump(['chats', 'messages', 'agents']);
        wasOpen = true;
        setState((s) => ({ ...s, connection: 'live' }));
      };
      source.onerror = () => {
        if (stopped || !source) return;
        setState((s) => ({ ...s, connection: 'reconnecting' }));
        // CLOSED: the answer was not a stream (401, 429…): EventSource gives up, so do it here.
        if (source.readyState === EventSource.CLOSED) {
          source = null;
          onClosed();
          retry = setTimeout(() => !stopped && open(), 3000);
        }
      };
    };
    open();

    return () => {
      stopped = true;
      source?.close();
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
    };
  }, [onClosed]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}
