// A reply to the customer or a private note for colleagues (the customer never sees it): one
// box, two modes, visibly different so a note is never sent as a reply by mistake.
import { useState, type FormEvent, type KeyboardEvent } from 'react';

type Mode = 'message' | 'private';

export function ReplyBox({ onSend }: { onSend: (text: string, type: Mode) => Promise<boolean> }) {
  const [mode, setMode] = useState<Mode>('message');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    if (await onSend(text, mode)) setText('');
    setBusy(false);
  }

  // Ctrl/Cmd+Enter sends; Enter alone is a new line.
  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  }

  return (
    <form className={`reply mode-${mode}`} onSubmit={submit}>
      <div className="reply-modes" role="group" aria-label="Write">
        <button type="button" className="seg" aria-pressed={mode === 'message'} onClick={() => setMode('message')}>
          Reply
        </button>
        <button type="button" className="seg" aria-pressed={mode === 'private'} onClick={() => setMode('private')}>
          Private note
        </button>
      </div>
      <textarea
        aria-label={mode === 'message' ? 'Reply to the customer' : 'Private note (only agents see it)'}
        placeholder={mode === 'message' ? 'Write a reply…  (Ctrl+Enter sends)' : 'Write a note for your team…  (Ctrl+Enter adds it)'}
        value={text}
        rows={3}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      <div className="reply-actions">
        <button type="submit" className="primary" disabled={busy || !text.trim()}>
          {mode === 'message' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
