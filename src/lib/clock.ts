// Time comes from a clock handed in at wiring time, so tests can control it (DESIGN rule 8).
export interface Clock {
  /** UNIX seconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

export function fixedClock(start: number): Clock & { set(t: number): void; advance(s: number): void } {
  let t = start;
  return { now: () => t, set: (v) => (t = v), advance: (s) => (t += s) };
}
