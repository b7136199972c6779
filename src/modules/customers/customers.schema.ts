// Customer bodies (API.md §3 Customer, §4.4): POST /v1/customers, PUT and PATCH
// /v1/customers/{id}, PUT /v1/customers/batch and the tags routes. Every field optional;
// unknown fields ignored (API.md §1).
import { Type, type TSchema } from '@sinclair/typebox';
import { Invalid, type ErrorItem } from '../../errors.ts';
import {
  accept, body, bool, clearable, custom, nullableId, optionalId, refine, refuse, REASON, requiredId, text, timestamp,
  type Field, type Parsed,
} from '../../input/validate.ts';

export type Scalar = string | number | boolean | null;
export const DEFAULT_TAG_COLOR = '#c377e0';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COLOR = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested object of optional strings, e.g. `location` or `device`. */
function stringRecord<K extends string>(keys: readonly K[]) {
  return custom(
    Type.Optional(Type.Union([Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Optional(Type.String())]))), Type.Null()])),
    (raw, present): Parsed<Partial<Record<K, string | null>> | null | undefined> => {
      if (!present) return accept(undefined);
      if (raw === null) return accept(null);
      if (!isPlainObject(raw)) return refuse(REASON.object);
      const out: Partial<Record<K, string | null>> = {};
      for (const k of keys) {
        const v = raw[k];
        if (v === undefined) continue;
        if (v !== null && typeof v !== 'string') return refuse(`${k}: ${REASON.string}`);
        if (typeof v === 'string' && v.length > 255) return refuse(`${k}: This value is too long. It should have 255 characters or less.`);
        out[k] = v === '' ? null : v;
      }
      return accept(out);
    },
  );
}

/** `customData` as `[{property, value}]` or a plain map of scalars (API.md §3). */
export const customDataField = custom(
  Type.Optional(
    Type.Union([
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
      Type.Array(Type.Object({ property: Type.String(), value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]) })),
    ]),
  ),
  (raw, present): Parsed<Record<string, Scalar> | undefined> => {
    if (!present || raw === null) return accept(undefined);
    // The names are the client's: on an object without a prototype `__proto__` is a key like
    // any other, kept as sent, instead of a setter that drops the value or swaps the prototype.
    const out: Record<string, Scalar> = Object.create(null);
    if (Array.isArray(raw)) {
      for (const item of raw) {
        if (!isPlainObject(item) || typeof item.property !== 'string' || item.property === '') {
          return refuse('Each item should be {"property": string, "value": scalar}.');
        }
        if (!isScalar(item.value ?? null)) return refuse('A custom data value should be a string, number, boolean or null.');
        out[item.property] = (item.value ?? null) as Scalar;
      }
      return accept(out);
    }
    if (!isPlainObject(raw)) return refuse(REASON.object);
    for (const [k, v] of Object.entries(raw)) {
      if (!isScalar(v)) return refuse('A custom data value should be a string, number, boolean or null.');
      out[k] = v;
    }
    return accept(out);
  },
);

export interface TagInput {
  name: string;
  color?: string;
}

/** The most tags one request may set, add or remove. */
export const MAX_TAGS_PER_REQUEST = 100;

/** `tags: [{name, color?}]`; a bare string is read as a name. */
export const tagsField = custom(
  Type.Optional(Type.Array(Type.Object({ name: Type.String(), color: Type.Optional(Type.String()) }))),
  (raw, present): Parsed<TagInput[] | undefined> => {
    if (!present || raw === null) return accept(undefined);
    if (!Array.isArray(raw)) return refuse('This value should be of type array.');
    // issue 15: 20,000 tags in one request failed on SQLite (docs/compatibility.md)
    if (raw.length > MAX_TAGS_PER_REQUEST) return refuse(`This collection should contain ${MAX_TAGS_PER_REQUEST} elements or less.`);
    const out: TagInput[] = [];
    for (const t of raw) {
      const item = typeof t === 'string' ? { name: t } : t;
      if (!isPlainObject(item) || typeof item.name !== 'string' || item.name.trim() === '') {
        return refuse('Each tag should be {"name": string, "color"?: string}.');
      }
      if (item.name.trim().length > 255) return refuse('A tag name should have 255 characters or less.');
      if (item.color !== undefined && item.color !== null && (typeof item.color !== 'string' || !COLOR.test(item.color))) {
        return refuse('A tag color should be a hex colour such as #c377e0.');
      }
      out.push({ name: item.name.trim(), color: (item.color as string | null) ?? undefined });
    }
    return accept(out);
  },
);

const str = (maxLength = 255) => text({ required: false, maxLength });

/** PUT/PATCH strings: absent → unchanged; `null` or `""` → cleared (API.md §4.4). */
function clearableText(maxLength = 255): Field<string | null | undefined> {
  const inner = text({ required: false, maxLength });
  return custom(Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()])), (raw, present) => {
    if (!present) return accept(undefined);
    if (raw === null || raw === '') return accept(null);
    return inner.parse(raw, present);
  });
}

const email = <T>(f: Field<T>) => refine(f, (v) => (EMAIL.test(String(v)) ? null : 'This value is not a valid email address.'));
const LOCATION = ['regionCode', 'countryCode', 'city'] as const;
const DEVICE = ['id', 'ip', 'timezone', 'platform', 'userAgent'] as const;
/**
 * The plain text fields and their length limits, shared by create and update. The messenger
 * ids (telegramId…) are not on the Customer model, but they are searchable (API.md §4.1), so
 * they are stored when sent.
 */
const TEXT_LIMITS = {
  name: 255, userId: 255, company: 255, phone: 64, source: 255, referer: 2048, lastPage: 2048,
  locale: 32, createdFrom: 255, notes: 65_535,
  telegramId: 255, facebookId: 255, instagramId: 255, viberId: 255, whatsappId: 255,
} as const;
export type TextField = keyof typeof TEXT_LIMITS;
export const TEXT_FIELDS = Object.keys(TEXT_LIMITS) as TextField[];

const mapText = <F>(make: (max: number) => F) =>
  Object.fromEntries(TEXT_FIELDS.map((k) => [k, make(TEXT_LIMITS[k])])) as Record<TextField, F>;

type Location = Partial<Record<(typeof LOCATION)[number], string | null>>;
type FlatLocation = { location?: Location | null } & Location;

/**
 * HelpCrunch's older reference sends the location flat (`city`, `regionCode`, `countryCode`);
 * they are read into `location`, with the same limits. Where `location` states a key too, it
 * wins (it is the Customer's own shape); `location: null` states every key (all cleared).
 */
function foldLocation<T extends FlatLocation>(input: T): Omit<T, (typeof LOCATION)[number]> {
  const { regionCode, countryCode, city, location, ...rest } = input;
  const flat: Location = {};
  for (const [k, v] of [['regionCode', regionCode], ['countryCode', countryCode], ['city', city]] as const) if (v !== undefined) flat[k] = v;
  const folded = location === null || Object.keys(flat).length === 0 ? location : { ...flat, ...location };
  return { ...rest, location: folded } as Omit<T, (typeof LOCATION)[number]>;
}

const withFlatLocation = <T extends FlatLocation>(spec: { schema: TSchema; parse(raw: unknown): T }) => ({
  schema: spec.schema,
  parse: (raw: unknown) => foldLocation(spec.parse(raw)),
});

const flatLocation = <F>(make: () => F) => ({ regionCode: make(), countryCode: make(), city: make() });

export const createCustomerBody = withFlatLocation(body({
  ...mapText((max) => str(max)),
  email: email(str()),
  firstSeen: timestamp({ nullable: true }),
  lastSeen: timestamp({ nullable: true }),
  location: stringRecord(LOCATION),
  ...flatLocation(() => str()),
  device: stringRecord(DEVICE),
  unsubscribed: bool({ required: false }),
  blocked: bool({ required: false }),
  integrationId: optionalId(),
  tags: tagsField,
  customData: customDataField,
}));
export type CreateCustomerInput = ReturnType<typeof createCustomerBody.parse>;

/**
 * PUT and PATCH (API.md §4.4): a present field is set, an omitted one stays, `null` clears.
 * Cleared booleans read as false; nested objects and customData merge key by key; `tags`
 * replaces the customer's tags (the tags routes add and remove).
 */
const updateFields = {
  ...mapText((max) => clearableText(max)),
  email: email(clearableText()),
  firstSeen: timestamp({ nullable: true }),
  lastSeen: timestamp({ nullable: true }),
  location: stringRecord(LOCATION),
  ...flatLocation(() => clearableText()),
  device: stringRecord(DEVICE),
  unsubscribed: clearable(bool({ required: false })),
  blocked: clearable(bool({ required: false })),
  integrationId: nullableId({ keyRequired: false }),
  tags: clearable(tagsField),
  customData: clearable(customDataField),
};
export const updateCustomerBody = withFlatLocation(body(updateFields));
export type UpdateCustomerInput = ReturnType<typeof updateCustomerBody.parse>;

/** PUT /v1/customers/batch: one item, `{customer, …fields}` */
const batchItem = withFlatLocation(body({ customer: requiredId(), ...updateFields }));
export type BatchItem = ReturnType<typeof batchItem.parse>;
export const BATCH_MAX = 10;

/**
 * PUT /v1/customers/batch: a JSON array of 1..10 items (API.md §4.4). Every failing field of
 * every item is reported in one 400, named by its place: `[2].email`.
 */
export function parseBatch(raw: unknown): BatchItem[] {
  if (!Array.isArray(raw)) throw Invalid.field('body', 'This value should be of type array.');
  if (raw.length === 0) throw Invalid.field('body', 'This collection should contain 1 element or more.');
  if (raw.length > BATCH_MAX) throw Invalid.field('body', `This collection should contain ${BATCH_MAX} elements or less.`);
  const items: ErrorItem[] = [];
  const out: BatchItem[] = [];
  raw.forEach((item, i) => {
    if (!isPlainObject(item)) return void items.push({ code: `[${i}]`, message: REASON.object });
    try {
      out.push(batchItem.parse(item));
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      items.push(...err.items.map((e) => ({ code: `[${i}].${e.code}`, message: e.message })));
    }
  });
  if (items.length > 0) throw new Invalid(items);
  return out;
}

/** PUT / DELETE /v1/customers/{id}/tags: `{tags: [{name, color?}]}`, at least one tag */
export const tagsBody = body({
  tags: refine(
    custom(tagsField.schema, (raw, present): Parsed<TagInput[] | undefined> =>
      !present || raw === null ? refuse(REASON.blank) : tagsField.parse(raw, present),
    ),
    (tags) => (tags.length === 0 ? REASON.blank : null),
  ),
});
