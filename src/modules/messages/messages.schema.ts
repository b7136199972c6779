// POST /v1/messages body (API.md §4.4). Field shapes are checked together and reported in one
// 400 (API.md §5). A private note needs no `agent`: HelpCrunch's reference requires one only
// for a message from an agent, and integrations post notes without it (issue 16).
import { body, choice, optionalId, requiredId, text } from '../../input/validate.ts';

/**
 * The types a client may write. `tech`, `email` and `knowledgeBase` exist on the Message model
 * (API.md §3) but are produced by the system, never posted: they answer "not a valid choice".
 */
export const WRITABLE_MESSAGE_TYPES = ['message', 'private'] as const;
export type WritableMessageType = (typeof WRITABLE_MESSAGE_TYPES)[number];

const shape = body({
  chat: requiredId(),
  text: text({ required: true }),
  // absent, null or "" → the default "message"
  type: choice(WRITABLE_MESSAGE_TYPES, { required: false }),
  // absent or null: a message from the customer, or a private note nobody in particular wrote
  agent: optionalId(),
  markdownText: text({ required: false }),
});

export interface CreateMessageInput {
  chat: number;
  text: string;
  type: WritableMessageType;
  /** undefined: the customer writes a `message`; a `private` note is the team's (agent: null) */
  agent: number | undefined;
  markdownText: string | undefined;
}

export const createMessageBody = {
  schema: shape.schema,
  parse(raw: unknown): CreateMessageInput {
    const value = shape.parse(raw);
    return {
      chat: value.chat,
      text: value.text as string, // required: the parser refuses absent, null and ""
      type: value.type ?? 'message',
      agent: value.agent,
      markdownText: value.markdownText,
    };
  },
};
