// Hash routing (`#/`, `#/chats/12`): the server serves one index.html and needs no fallback
// for deep links.
import { useEffect, useState } from 'react';

export interface Route {
  chatId: number | null;
}

function parse(hash: string): Route {
  const m = /^#\/chats\/(\d+)/.exec(hash);
  return { chatId: m ? Number(m[1]) : null };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The open chat now (not at the last render: keys pressed quickly see each other's moves). */
export const currentChatId = (): number | null => parse(window.location.hash).chatId;

export const chatHref = (id: number) => `#/chats/${id}`;

export function openChat(id: number | null): void {
  window.location.hash = id === null ? '#/' : chatHref(id);
}
