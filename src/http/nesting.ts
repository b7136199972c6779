// How deep a JSON body may nest (issue 15, found by probing what the fuzz suite did not yet
// send): every check that walks a body — the NUL and lone-surrogate walks, the field validators,
// JSON.stringify of event data — recurses, and 10,000 nested arrays (20 KB) overflowed the stack:
// a 500. No HelpCrunch body nests more than a few levels (event `data` and `customData` are
// the deepest), so a body deeper than MAX_BODY_DEPTH is refused whole, before any walk.
import { Invalid } from '../errors.ts';

export const MAX_BODY_DEPTH = 64;
export const DEPTH_REASON = `This value should not be nested more than ${MAX_BODY_DEPTH} levels deep.`;

/** Whether JSON `text` (already known to parse) opens more than `max` arrays/objects inside one another. */
export function nestsDeeperThan(text: string, max: number): boolean {
  // a body this short cannot hold max + 1 open brackets
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, `\"` included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Throws the 400 on `body` when the parsed JSON `text` nests too deep. */
export function refuseDeepBody(text: string): void {
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) throw Invalid.field('body', DEPTH_REASON);
}
