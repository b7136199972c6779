// POST /v1/messages body (API.md §4.4). Field shapes are checked together and reported in one
// 400 (API.md §5); the one rule that spans two fields — a private note needs an agent — is
// decided by the body alone, so it is a shape check too and comes before the chat's 404.
import { Invalid, type ErrorItem } from '../../errors.ts';
import { body, choice, optionalId, requiredId, text } from '../../input/validate.ts';

/**
 * The types a client may write. `tech`, `email` and `knowledgeBase` exist on the Message model
 * (API.md §3) but are produced by the system, never posted: they answer "not a valid choice".
 */
export const WRITABLE_MESSAGE_TYPES = ['message', 'private'] as const;
export type WritableMessageType = (typeof WRITABLE_MESSAGE_TYPES)[number];

const fields = {
  chat: requiredId(),
  text: text({ required: true }),
  // absent, null or "" → the default "message"
  type: choice(WRITABLE_MESSAGE_TYPES, { required: false }),
  agent: optionalId(),
  markdownText: text({ required: false }),
};
const FIELD_ORDER: readonly string[] = Object.keys(fields);
const shape = body(fields);

export const PRIVATE_NEEDS_AGENT = 'This value should not be blank when type is "private": a private note is written by an agent.';

export interface CreateMessageInput {
  chat: number;
  text: string;
  type: WritableMessageType;
  /** undefined = the customer writes */
  agent: number | undefined;
  markdownText: string | undefined;
}

/** `type: "private"` with no `agent`, judged on the raw body (other fields may be failing) */
function privateWithoutAgent(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const input = raw as Record<string, unknown>;
  const type = fields.type.parse(input.type, Object.hasOwn(input, 'type'));
  const agent = fields.agent.parse(input.agent, Object.hasOwn(input, 'agent'));
  return type.ok && type.value === 'private' && agent.ok && agent.value === undefined;
}

export const createMessageBody = {
  schema: shape.schema,
  parse(raw: unknown): CreateMessageInput {
    const crossField: ErrorItem[] = privateWithoutAgent(raw) ? [{ code: 'agent', message: PRIVATE_NEEDS_AGENT }] : [];
    let value: ReturnType<typeof shape.parse>;
    try {
      value = shape.parse(raw);
    } catch (err) {
      if (!(err instanceof Invalid) || crossField.length === 0) throw err;
      // one 400 for every failing field, in the body's field order
      const items = [...err.items, ...crossField].sort((a, b) => FIELD_ORDER.indexOf(a.code) - FIELD_ORDER.indexOf(b.code));
      throw new Invalid(items);
    }
    if (crossField.length > 0) throw new Invalid(crossField);
    return {
      chat: value.chat,
      text: value.text as string, // required: the parser refuses absent, null and ""
      type: value.type ?? 'message',
      agent: value.agent,
      markdownText: value.markdownText,
    };
  },
};
