// How the `handoff` lists read for a human: aligned columns under a header, and times in UTC.
// (`--json` prints the presenters' documents instead; nothing here shapes JSON.)

/** rows under a header, each column as wide as its widest cell, two spaces apart */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** a timestamp as the presenters give it (a string of UNIX seconds) → `2024-05-01 09:30 UTC`; null → `fallback` */
export function when(timestamp: string | null, fallback = 'never'): string {
  if (timestamp === null) return fallback;
  return `${new Date(Number(timestamp) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
