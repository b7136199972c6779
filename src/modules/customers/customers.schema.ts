// POST /v1/customers body (API.md §3 Customer, §4.4). Every field optional; unknown ignored.
import { Type } from '@sinclair/typebox';
import { accept, body, bool, custom, optionalId, refine, refuse, REASON, text, timestamp, type Parsed } from '../../http/validate.ts';

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
        out[k] = v;
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
    const out: Record<string, Scalar> = {};
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

/** `tags: [{name, color?}]`; a bare string is read as a name. */
export const tagsField = custom(
  Type.Optional(Type.Array(Type.Object({ name: Type.String(), color: Type.Optional(Type.String()) }))),
  (raw, present): Parsed<TagInput[] | undefined> => {
    if (!present || raw === null) return accept(undefined);
    if (!Array.isArray(raw)) return refuse('This value should be of type array.');
    const out: TagInput[] = [];
    for (const t of raw) {
      const item = typeof t === 'string' ? { name: t } : t;
      if (!isPlainObject(item) || typeof item.name !== 'string' || item.name.trim() === '') {
        return refuse('Each tag should be {"name": string, "color"?: string}.');
      }
      if (item.color !== undefined && item.color !== null && (typeof item.color !== 'string' || !COLOR.test(item.color))) {
        return refuse('A tag color should be a hex colour such as #c377e0.');
      }
      out.push({ name: item.name.trim(), color: (item.color as string | null) ?? undefined });
    }
    return accept(out);
  },
);

const str = (maxLength = 255) => text({ required: false, maxLength });

export const createCustomerBody = body({
  name: str(),
  email: refine(str(), (v) => (EMAIL.test(v) ? null : 'This value is not a valid email address.')),
  userId: str(),
  company: str(),
  phone: str(64),
  firstSeen: timestamp({ nullable: true }),
  lastSeen: timestamp({ nullable: true }),
  location: stringRecord(['regionCode', 'countryCode', 'city'] as const),
  device: stringRecord(['id', 'ip', 'timezone', 'platform', 'userAgent'] as const),
  unsubscribed: bool({ required: false }),
  blocked: bool({ required: false }),
  source: str(),
  referer: str(2048),
  lastPage: str(2048),
  locale: str(32),
  createdFrom: str(),
  integrationId: optionalId(),
  notes: str(65_535),
  tags: tagsField,
  customData: customDataField,
});

export type CreateCustomerInput = ReturnType<typeof createCustomerBody.parse>;
