// The search suite's live desk: customer messages arriving while a case is measured, on a copy
// of the dataset file (the cached file stays as generated). Each message is a write that ends
// the totals the cache remembered for the whole database (modules/search/totals-cache.ts).
import { copyFileSync, rmSync } from 'node:fs';
import type { SearchDataset } from './search-dataset.ts';

/** `from` copied to `to`, replacing any earlier copy and its WAL */
export function copyDatabaseFile(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(to + suffix, { force: true });
  copyFileSync(from, to);
}

/** posts a customer message to a random chat every 1/rate s (one at a time) until stopped */
export function startMessages(url: string, headers: Record<string, string>, data: SearchDataset, perSecond: number) {
  let written = 0;
  let failed = 0;
  let pending: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // a slow answer skips a beat rather than piling requests up
    busy = true;
    const chat = data.firstChatId + Math.floor(Math.random() * (data.lastChatId - data.firstChatId + 1));
    pending = fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ chat, text: 'Any news on my order?' }) })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) written++;
        else failed++;
      }, () => void failed++)
      .finally(() => (busy = false));
  }, 1000 / perSecond);
  return {
    async stop(): Promise<string> {
      clearInterval(timer);
      await pending;
      return `${written} messages written${failed ? `, ${failed} refused or failed` : ''}`;
    },
  };
}
