// Bodies of the chat-change routes of API.md §4.2. Field shapes only: the chat itself, the
// department it names and the rating preconditions are checked by the service (API.md §5,
// order of checks).
import { Type } from '@sinclair/typebox';
import type { ChatStatus } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { accept, body, bool, choice, custom, nullableId, refuse, REASON, requiredId, timestamp, type Field } from '../../input/validate.ts';
import { lookup, type Lookup } from '../../lib/lookup.ts';

/** Statuses a client may set: every status of API.md §3 but `empty` (§4.2). */
export const SETTABLE_STATUSES = ['new', 'opened', 'pending', 'onhold', 'no communication', 'closed'] as const satisfies readonly ChatStatus[];
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** API.md §3: input aliases of the status. */
const STATUS_ALIASES: Lookup<SettableStatus> = lookup({ open: 'opened', 'on hold': 'onhold', 'on-hold': 'onhold' });

export const RATINGS = ['perfect', 'great', 'average', 'poor', 'very poor'] as const;
export type Rating = (typeof RATINGS)[number];

/**
 * `empty` is a real status (a chat without messages) but not one a client can set (API.md
 * §4.2): it gets its own reason instead of "not a valid choice", which would mislead.
 */
export const EMPTY_NOT_SETTABLE = 'The status "empty" cannot be set: a chat is empty only until its first message.';

/** A field declared `required` never yields undefined: this says so to the type checker. */
function required<T>(field: Field<T | undefined>): Field<T> {
  return custom<T>(field.schema, (raw, present) => {
    const r = field.parse(raw, present);
    return r.ok ? (r.value === undefined ? refuse(REASON.blank) : accept(r.value)) : r;
  });
}

const settableStatus = required(choice(SETTABLE_STATUSES, { required: true, aliases: STATUS_ALIASES }));
const status = custom<SettableStatus>(settableStatus.schema, (raw, present) =>
  raw === 'empty' ? refuse(EMPTY_NOT_SETTABLE) : settableStatus.parse(raw, present),
);

export const statusBody = body({ id: requiredId(), status });

/** `department: null` takes the chat out of its department; an absent key is "missing" (like `assignee`). */
export const departmentBody = body({ id: requiredId(), department: nullableId({ keyRequired: true }) });

export const SNOOZE_IN_PAST = 'This value should be a time in the future.';

/**
 * `snoozedUntil`: a timestamp (API.md §1 timestamps in) or null to unsnooze; an absent key is
 * "missing", as null is meaningful. A time that is not after now is refused: such a snooze
 * would wake at once, which no client means (docs/compatibility.md). It is a rule on the value
 * alone, so it is reported with the other field shapes, before the chat is looked up.
 */
export function snoozeBody(clock: Clock) {
  const when = timestamp({ nullable: true });
  const snoozedUntil = custom<number | null>(Type.Optional(when.schema, false), (raw, present) => {
    if (!present) return refuse(REASON.missing);
    const r = when.parse(raw, present);
    if (!r.ok) return r;
    const t = r.value ?? null;
    return t !== null && t <= clock.now() ? refuse(SNOOZE_IN_PAST) : accept(t);
  });
  return body({ id: requiredId(), snoozedUntil });
}

export const rateBody = body({ id: requiredId(), rating: required(choice(RATINGS, { required: true })) });

/** `{id, read}` of /readByAgent, /readByCustomer and /read (API.md §5: non-boolean → boolean reason). */
export const readBody = body({ id: requiredId(), read: required(bool({ required: true })) });

export type StatusInput = ReturnType<typeof statusBody.parse>;
export type DepartmentInput = ReturnType<typeof departmentBody.parse>;
export type SnoozeInput = ReturnType<ReturnType<typeof snoozeBody>['parse']>;
export type RateInput = ReturnType<typeof rateBody.parse>;
export type ReadInput = ReturnType<typeof readBody.parse>;
