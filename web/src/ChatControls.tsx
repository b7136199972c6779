// Status (PUT /v1/chats/status with the wire names) and snooze (PUT /v1/chats/snooze, a UNIX
// time in seconds, or null to wake the chat now).
import { SETTABLE_STATUSES, fullTime, statusLabel } from './format.ts';
import type { Chat } from './types.ts';

type Change = (path: string, body: Record<string, unknown>) => Promise<void>;

function tomorrowMorning(): number {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return Math.floor(d.getTime() / 1000);
}

export function ChatControls({ chat, onChange }: { chat: Chat; onChange: Change }) {
  const snooze = (until: number | null) => onChange('/v1/chats/snooze', { snoozedUntil: until });
  const snoozed = chat.snoozedUntil !== null && Number(chat.snoozedUntil) * 1000 > Date.now();
  return (
    <section className="side-section" aria-labelledby="status-title">
      <h3 id="status-title">Status</h3>
      <div className="status-buttons" role="group" aria-label="Set status">
        {SETTABLE_STATUSES.map((s) => (
          <button key={s} type="button" className="seg" aria-pressed={chat.status === s} onClick={() => onChange('/v1/chats/status', { status: s })}>
            {statusLabel(s)}
          </button>
        ))}
      </div>
      <h3>Snooze</h3>
      <p className="muted small">{chat.snoozedUntil ? `${snoozed ? 'Snoozed until' : 'Was snoozed until'} ${fullTime(chat.snoozedUntil)}` : 'Not snoozed'}</p>
      <div className="snooze-buttons">
        <button type="button" className="ghost" onClick={() => snooze(Math.floor(Date.now() / 1000) + 3600)}>
          1 hour
        </button>
        <button type="button" className="ghost" onClick={() => snooze(tomorrowMorning())}>
          Tomorrow 9:00
        </button>
        <button type="button" className="ghost" onClick={() => snooze(null)} disabled={!chat.snoozedUntil}>
          Unsnooze
        </button>
      </div>
    </section>
  );
}
