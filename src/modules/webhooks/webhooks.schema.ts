// POST /v1/webhooks body `{url, events}` (API.md §4.6, §4.8). The URL's scheme and shape are a
// field rule (reported with the other fields); whether its address may be reached needs DNS and
// is the service's check, after the fields.
import { Type } from '@sinclair/typebox';
import { EVENTS } from '../../events/names.ts';
import { ALL_EVENTS } from '../../events/webhook-interest.ts';
import { accept, body, custom, refine, refuse, text, type Parsed } from '../../input/validate.ts';
import { parseWebhookUrl, UrlRefused } from './guard.ts';

export const MAX_URL_LENGTH = 2048;

/**
 * `events`: event names of API.md §4.5, or "*" (alone or in the list) for all of them. Absent
 * or null means all, as the CLI's default. Names are kept once each, in the order of §4.5.
 */
export function parseEvents(raw: unknown): Parsed<string[]> {
  if (raw === undefined || raw === null || raw === ALL_EVENTS) return accept([ALL_EVENTS]);
  if (!Array.isArray(raw)) return refuse('This value should be of type array.');
  if (raw.length === 0) return refuse('This collection should contain 1 element or more.');
  if (raw.some((e) => e !== ALL_EVENTS && !(EVENTS as readonly unknown[]).includes(e))) {
    return refuse('One or more of the given values is invalid.'); // Symfony's Choice(multiple) wording
  }
  if (raw.includes(ALL_EVENTS)) return accept([ALL_EVENTS]);
  return accept(EVENTS.filter((e) => raw.includes(e)));
}

const urlField = refine(text({ required: true, maxLength: MAX_URL_LENGTH }), (url) => {
  try {
    parseWebhookUrl(url);
    return null;
  } catch (err) {
    if (err instanceof UrlRefused) return err.message;
    throw err;
  }
});

export const createWebhookBody = body({
  url: urlField,
  events: custom(Type.Optional(Type.Union([Type.Array(Type.String()), Type.Literal(ALL_EVENTS), Type.Null()])), (raw) => parseEvents(raw)),
});

export type WebhookInput = ReturnType<typeof createWebhookBody.parse>;
