import { chatHref } from './route.ts';
import { customerName, initials, shortTime, statusLabel } from './format.ts';
import type { Chat } from './types.ts';

/** One chat of the list: a link (Enter and clicks open it), aria-current when it is open. */
export function ChatRow({ chat, selected, mine }: { chat: Chat; selected: boolean; mine: boolean }) {
  const name = customerName(chat.customer);
  return (
    <li>
      <a href={chatHref(chat.id)} data-chat={chat.id} className={`chat-row${selected ? ' selected' : ''}${chat.readByAgent ? '' : ' unread'}`} aria-current={selected ? 'page' : undefined}>
        <span className="avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="row-main">
          <span className="row-top">
            <span className="row-name">{name}</span>
            <span className="row-time">{shortTime(chat.lastMessageAt ?? chat.createdAt)}</span>
          </span>
          <span className="row-text">{chat.lastMessageText || 'No messages yet'}</span>
          <span className="row-meta">
            <span className={`badge status-${chat.status.replace(/\s+/g, '-')}`}>{statusLabel(chat.status)}</span>
            {chat.snoozedUntil && <span className="badge snoozed">Snoozed</span>}
            <span className="row-assignee">{chat.assignee ? (mine ? 'You' : chat.assignee.name) : 'Unassigned'}</span>
            {chat.department && <span className="row-dept">· {chat.department.name}</span>}
          </span>
        </span>
      </a>
    </li>
  );
}
