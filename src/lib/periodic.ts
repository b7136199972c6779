// A background job run at once on start, then `intervalMs` after each run ends (never two at
// once). Its state is the database, so a failed run is retried by the next; `pass` reports its
// own failures. `stop()` lets no run start after it and waits for the one in progress, whose
// `shouldContinue()` turns false so it ends after its current batch.
export interface PeriodicJob {
  start(): void;
  stop(): Promise<void>;
}

export function periodicJob(intervalMs: number, pass: (shouldContinue: () => boolean) => Promise<void>): PeriodicJob {
  let active = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const schedule = (delayMs: number) => {
    timer = setTimeout(run, delayMs);
    timer.unref(); // never the reason the process stays up
  };
  function run() {
    timer = null;
    running = pass(() => active)
      .catch(() => {}) // `pass` logs its own failures; the next run retries
      .finally(() => {
        running = null;
        if (active) schedule(intervalMs);
      });
  }

  return {
    start() {
      if (active) return;
      active = true;
      if (!running) schedule(0);
    },
    async stop() {
      active = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
