// Request validation with the reference's Symfony-style reasons (API.md §2). Each field rule
// carries its JSON Schema (TypeBox) for the OpenAPI document and a parser that yields the
// typed value or the reason; `parseBody` reports every failing field in one 400.
import { Type, type TSchema } from '@sinclair/typebox';
import { Invalid, type ErrorItem } from '../errors.ts';
import type { Lookup } from '../lib/lookup.ts';

export const REASON = {
  blank: 'This value should not be blank.',
  missing: 'This field is missing.',
  numeric: 'This value should be of type numeric.',
  integer: 'This value should be of type integer.',
  positive: 'This value should be positive.',
  positiveOrZero: 'This value should be either positive or zero.',
  tooLarge: `This value should be less than or equal to ${Number.MAX_SAFE_INTEGER}.`,
  string: 'This value should be of type string.',
  boolean: 'This value should be of type boolean.',
  object: 'This value should be of type object.',
  choice: 'The value you selected is not a valid choice.',
} as const;

/**
 * The largest value a PostgreSQL `integer` column holds (2^31−1): every id, capacity and
 * number of minutes. SQLite keeps the same range so both databases answer alike (issue 15): a
 * larger id in a body or a search value is refused with a 400 naming the field; in a URL it
 * names nothing (the general 404).
 */
export const MAX_INT32 = 2_147_483_647;
const INT32_TOO_LARGE = `This value should be less than or equal to ${MAX_INT32}.`;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
export interface Field<T> {
  readonly schema: TSchema;
  /** `present` is false when the key is absent from the body */
  parse(raw: unknown, present: boolean): Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });


/**
 * API.md §1: an integer is a JSON integer or a string of decimal digits. Floats and
 * fractional strings are numeric but not integers; values beyond 2^53-1 cannot be exact.
 */
export function parseInteger(raw: unknown): Parsed<number> {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) n = Number(raw.trim());
  else if (typeof raw === 'string' && /^\s*-?(\d+\.\d*|\.\d+|\d+(\.\d*)?e[+-]?\d+)\s*$/i.test(raw)) return fail(REASON.integer);
  else return fail(REASON.numeric);
  if (!Number.isFinite(n)) return fail(REASON.numeric);
  if (!Number.isInteger(n)) return fail(REASON.integer);
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER) return fail(REASON.tooLarge);
  return ok(n);
}

const isBlank = (raw: unknown) => raw === null || raw === undefined || raw === '';

function positiveInteger(raw: unknown): Parsed<number> {
  const n = parseEntityId(raw);
  return n.ok && n.value <= 0 ? fail(REASON.positive) : n;
}

/** An entity id inside a larger value (a search condition): any integer up to MAX_INT32. */
export function parseEntityId(raw: unknown): Parsed<number> {
  const n = parseInteger(raw);
  if (!n.ok) return n.reason === REASON.tooLarge ? fail(INT32_TOO_LARGE) : n;
  return n.value > MAX_INT32 ? fail(INT32_TOO_LARGE) : n;
}

/** A required entity id: absent, null or "" → blank. */
export function requiredId(): Field<number> {
  return {
    schema: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_INT32 }), Type.String({ pattern: '^[0-9]+$' })]),
    parse: (raw) => (isBlank(raw) ? fail(REASON.blank) : positiveInteger(raw)),
  };
}

/** An optional entity id: absent or null → undefined. */
export function optionalId(): Field<number | undefined> {
  return {
    schema: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_INT32 }), Type.String({ pattern: '^[0-9]+$' }), Type.Null()])),
    parse: (raw) => (raw === undefined || raw === null ? ok(undefined) : positiveInteger(raw)),
  };
}

/**
 * An id where null is itself meaningful (`assignee: null` unassigns). With `keyRequired`, an
 * absent key is "This field is missing." (API.md §4.3); otherwise absent → undefined.
 */
export function nullableId(opts: { keyRequired: boolean }): Field<number | null | undefined> {
  const schema = Type.Union([Type.Integer({ minimum: 1, maximum: MAX_INT32 }), Type.String({ pattern: '^[0-9]+$' }), Type.Null()]);
  return {
    schema: opts.keyRequired ? schema : Type.Optional(schema),
    parse: (raw, present) => {
      if (!present) return opts.keyRequired ? fail(REASON.missing) : ok(undefined);
      if (raw === null) return ok(null);
      return positiveInteger(raw);
    },
  };
}

/** A string; `required` makes absent/null/"" blank. Numbers are not coerced. */
export function text(opts: { required: boolean; maxLength?: number }): Field<string | undefined> {
  const max = opts.maxLength ?? 65_535;
  const schema = Type.String({ maxLength: max });
  return {
    schema: opts.required ? schema : Type.Optional(Type.Union([schema, Type.Null()])),
    parse: (raw) => {
      if (isBlank(raw)) return opts.required ? fail(REASON.blank) : ok(undefined);
      if (typeof raw !== 'string') return fail(REASON.string);
      if (raw.length > max) return fail(`This value is too long. It should have ${max} characters or less.`);
      return ok(raw);
    },
  };
}

/** one of `values`, or an alias of one; `aliases` is a lookup, so `constructor` is no alias (issue 12) */
export function choice<T extends string>(values: readonly T[], opts: { required: boolean; aliases?: Lookup<T> }): Field<T | undefined> {
  const all = [...values, ...Object.keys(opts.aliases ?? {})];
  const schema = Type.Union(all.map((v) => Type.Literal(v)));
  return {
    schema: opts.required ? schema : Type.Optional(schema),
    parse: (raw) => {
      if (isBlank(raw)) return opts.required ? fail(REASON.blank) : ok(undefined);
      if (typeof raw !== 'string') return fail(REASON.choice);
      if ((values as readonly string[]).includes(raw)) return ok(raw as T);
      const alias = opts.aliases?.[raw];
      return alias ? ok(alias) : fail(REASON.choice);
    },
  };
}

type Shape = Record<string, Field<unknown>>;
export type Parsed_<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export interface BodySpec<S extends Shape> {
  readonly schema: TSchema;
  parse(raw: unknown): Parsed_<S>;
}

/**
 * A JSON object body. No body at all reads as `{}` (so its required fields are reported);
 * any other non-object (array, string, number) is refused as a whole. Unknown keys are
 * ignored (API.md §1).
 */
export function body<S extends Shape>(shape: S): BodySpec<S> {
  const schema = Type.Object(
    Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f.schema])),
    { additionalProperties: true },
  );
  return {
    schema,
    parse(raw) {
      if (raw === undefined) raw = {};
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw Invalid.field('body', REASON.object);
      }
      const input = raw as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const items: ErrorItem[] = [];
      for (const [key, field] of Object.entries(shape)) {
        const present = Object.hasOwn(input, key);
        const r = field.parse(present ? input[key] : undefined, present);
        if (r.ok) out[key] = r.value;
        else items.push({ code: key, message: r.reason });
      }
      if (items.length > 0) throw new Invalid(items);
      return out as Parsed_<S>;
    },
  };
}

/** API.md §1 timestamps in: integer, digit string, or fractional digit string (truncated). */
export function timestamp(opts: { nullable: boolean }): Field<number | null | undefined> {
  const schema = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+(\\.[0-9]*)?$' })]);
  return {
    schema: Type.Optional(opts.nullable ? Type.Union([schema, Type.Null()]) : schema),
    parse: (raw, present) => {
      if (!present) return ok(undefined);
      if (raw === null) return opts.nullable ? ok(null) : fail(REASON.blank);
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'string' && /^\s*\d+(\.\d*)?\s*$/.test(raw)) n = Number(raw.trim());
      else return fail(REASON.numeric);
      if (!Number.isFinite(n)) return fail(REASON.numeric);
      if (n < 0) return fail(REASON.positiveOrZero);
      if (n > Number.MAX_SAFE_INTEGER) return fail(REASON.tooLarge);
      return ok(Math.trunc(n));
    },
  };
}

/** A JSON boolean (API.md §5: a non-boolean → "This value should be of type boolean."). */
export function bool(opts: { required: boolean }): Field<boolean | undefined> {
  return {
    schema: opts.required ? Type.Boolean() : Type.Optional(Type.Boolean()),
    parse: (raw, present) => {
      if (!present || raw === null) return opts.required ? fail(REASON.blank) : ok(undefined);
      return typeof raw === 'boolean' ? ok(raw) : fail(REASON.boolean);
    },
  };
}

/** A field whose absence, `null` and value are all distinct (PUT/PATCH: null clears). */
export function clearable<T>(field: Field<T>): Field<T | null | undefined> {
  return {
    schema: Type.Optional(Type.Union([field.schema, Type.Null()])),
    parse: (raw, present) => (!present ? ok(undefined) : raw === null ? ok(null) : field.parse(raw, present)),
  };
}

/**
 * A field of a partial update that cannot be cleared: absent keeps the stored value
 * (undefined), `null` is blank (API.md §2: null where a value is required).
 */
export function omittable<T>(field: Field<T>): Field<T | undefined> {
  return {
    schema: Type.Optional(field.schema),
    parse: (raw, present) => (!present ? ok(undefined) : raw === null ? fail(REASON.blank) : field.parse(raw, present)),
  };
}


/**
 * A whole number stored in an `integer` column (a capacity, a number of minutes): an integer
 * as API.md §1 takes them, at least `min` (1: "should be positive", 0: "positive or zero",
 * Symfony's wording) and at most MAX_INT32, beyond which the column could not hold it.
 */
export function wholeNumber(opts: { min: 0 | 1 }): Field<number> {
  return {
    schema: Type.Union([Type.Integer({ minimum: opts.min, maximum: MAX_INT32 }), Type.String({ pattern: '^[0-9]+$' })]),
    parse: (raw) => {
      if (isBlank(raw)) return fail(REASON.blank);
      const n = parseInteger(raw);
      if (!n.ok) return n.reason === REASON.tooLarge ? fail(INT32_TOO_LARGE) : n;
      if (n.value < opts.min) return fail(opts.min === 1 ? REASON.positive : REASON.positiveOrZero);
      return n.value > MAX_INT32 ? fail(INT32_TOO_LARGE) : n;
    },
  };
}

/** Wraps a field with an extra check on its parsed value. */
export function refine<T>(field: Field<T>, check: (v: NonNullable<T>) => string | null): Field<T> {
  return {
    schema: field.schema,
    parse: (raw, present) => {
      const r = field.parse(raw, present);
      if (!r.ok || r.value === undefined || r.value === null) return r;
      const reason = check(r.value as NonNullable<T>);
      return reason ? fail(reason) : r;
    },
  };
}

/** A field with its own parser and schema, for shapes the helpers above do not cover. */
export function custom<T>(schema: TSchema, parse: (raw: unknown, present: boolean) => Parsed<T>): Field<T> {
  return { schema, parse };
}

/**
 * A field HelpCrunch does not have (API.md's [ext]): marked in the OpenAPI document. Spread keeps
 * TypeBox's symbol keys, so an Optional field stays optional.
 */
export function extension<T>(field: Field<T>): Field<T> {
  return { schema: { ...field.schema, 'x-handoff-extension': true }, parse: field.parse };
}

export { ok as accept, fail as refuse };
