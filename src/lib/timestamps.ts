// API.md §1: timestamps go out as a string of UNIX seconds, or null.
export function timestampOut(seconds: number | null | undefined): string | null {
  return seconds === null || seconds === undefined ? null : String(Math.trunc(Number(seconds)));
}
