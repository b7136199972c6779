// Work that must happen only once a transaction has committed (DESIGN rule 7: events are
// delivered after commit, never from inside a transaction). Use cases register it with the
// transaction they run in; the database's write() runs it after COMMIT, or drops it on
// rollback.
type Hook = () => void;

const hooks = new WeakMap<object, Hook[]>();

export function afterCommit(trx: object, hook: Hook): void {
  const list = hooks.get(trx);
  if (list) list.push(hook);
  else hooks.set(trx, [hook]);
}

/** called by write() after COMMIT; a failing hook never affects the others or the caller */
export function runAfterCommit(trx: object): void {
  const list = hooks.get(trx);
  if (!list) return;
  hooks.delete(trx);
  for (const hook of list) {
    try {
      hook();
    } catch {
      // hooks are best-effort notifications; the committed data is the source of truth
    }
  }
}

/** called by write() when the transaction (or the job's savepoint) rolled back */
export function discardAfterCommit(trx: object): void {
  hooks.delete(trx);
}
