// Who has the chat, and whom to give it to: every active agent with presence and load. The
// server decides who may move a chat (a plain agent only between nobody and themselves, unless
// the organization allows more); its refusal shows in the chat's alert, so nothing is hidden here.
import { presenceLabel } from './format.ts';
import type { AgentRef, Chat, InboxAgent } from './types.ts';

interface Props {
  chat: Chat;
  me: AgentRef;
  agents: InboxAgent[];
  onAssign: (assignee: number | null) => Promise<void>;
}

function load(a: InboxAgent): string {
  const cap = a.capacity ?? null;
  return cap === null ? `${a.openChats} open` : `${a.openChats}/${cap} open`;
}

export function AssigneePicker({ chat, me, agents, onAssign }: Props) {
  const assignee = chat.assignee;
  const active = agents.filter((a) => a.active !== false);
  return (
    <section className="side-section" aria-labelledby="assignee-title">
      <h3 id="assignee-title">Assignee</h3>
      <p className="assignee-now" data-testid="assignee">
        {assignee ? (assignee.id === me.id ? `${assignee.name} (you)` : assignee.name) : 'Unassigned'}
      </p>
      <div className="assign-actions">
        <button type="button" className="primary" onClick={() => onAssign(me.id)} disabled={assignee?.id === me.id}>
          Assign to me <kbd>a</kbd>
        </button>
        <button type="button" className="ghost" onClick={() => onAssign(null)} disabled={!assignee}>
          Unassign
        </button>
      </div>
      <ul className="agent-picker" aria-label="Assign to an agent">
        {active.map((a) => {
          const current = assignee?.id === a.id;
          return (
            <li key={a.id}>
              <button
                type="button"
                className={`agent-option${current ? ' current' : ''}`}
                aria-pressed={current}
                aria-label={`Assign to ${a.name} (${presenceLabel(a.status)}, ${load(a)})`}
                onClick={() => onAssign(a.id)}
              >
                <span className={`dot dot-${a.status}`} aria-hidden="true" />
                <span className="agent-name">
                  {a.name}
                  {a.id === me.id ? ' (you)' : ''}
                </span>
                <span className="agent-presence">{presenceLabel(a.status)}</span>
                <span className="agent-load">{load(a)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
