import { body, extension, nullableId, optionalId, requiredId } from '../../input/validate.ts';

/** PUT /v1/chats/assignee (API.md §4.3) */
export const assigneeBody = body({
  id: requiredId(),
  assignee: nullableId({ keyRequired: true }),
  // [ext] compare-and-set: 409 when the chat's assignee is not this one (API.md §4.3)
  expectedAssignee: extension(nullableId({ keyRequired: false })),
});

/** POST /v1/chats (API.md §4.4) */
export const createChatBody = body({
  customer: requiredId(),
  application: requiredId(),
  assignee: optionalId(),
  department: optionalId(),
});

export type CreateChatInput = ReturnType<typeof createChatBody.parse>;
export type AssigneeInput = ReturnType<typeof assigneeBody.parse>;
