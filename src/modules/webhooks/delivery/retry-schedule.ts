// The retry schedule (issue 6 item 2): exponential backoff with jitter over about a day. After
// attempt n fails, attempt n+1 is due 30 s × 3^(n−1) later (capped at 6 h), each delay scaled
// by a random factor in [0.8, 1.2) so receivers coming back from an outage are not hit by every
// sender at the same second. Ten attempts span about 21 h before the delivery is given up.
export const MAX_ATTEMPTS = 10;
export const FIRST_RETRY_SECONDS = 30;
export const RETRY_GROWTH = 3;
export const MAX_RETRY_SECONDS = 6 * 3600;
export const JITTER = 0.2;

/** the delay before the attempt after `attempt` (1-based) fails, before jitter */
export function baseRetryDelay(attempt: number): number {
  return Math.min(FIRST_RETRY_SECONDS * RETRY_GROWTH ** (attempt - 1), MAX_RETRY_SECONDS);
}

/** seconds until the next attempt, or null when `attempt` was the last one; `random` in [0, 1) */
export function retryDelay(attempt: number, random: () => number = Math.random): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  return Math.max(1, Math.round(baseRetryDelay(attempt) * (1 - JITTER + 2 * JITTER * random())));
}
