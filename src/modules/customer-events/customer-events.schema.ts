// POST /v1/events body (API.md §4.4): `{name, data, customer}`.
import { Type } from '@sinclair/typebox';
import { accept, body, custom, refuse, requiredId, text, type Parsed } from '../../input/validate.ts';

/** `data` is stored as the client sent it; this bounds one event's share of the database */
export const MAX_DATA_CHARS = 65_535;

/** `data`: any JSON object or array, kept as sent; absent or null → null */
const dataField = custom(Type.Optional(Type.Union([Type.Object({}), Type.Array(Type.Unknown()), Type.Null()])), (raw, present): Parsed<string | null> => {
  if (!present || raw === null) return accept(null);
  if (typeof raw !== 'object') return refuse('This value should be of type object or array.');
  const json = JSON.stringify(raw);
  return json.length > MAX_DATA_CHARS ? refuse(`This value is too long. It should have ${MAX_DATA_CHARS} characters or less.`) : accept(json);
});

export const customerEventBody = body({
  name: text({ required: true, maxLength: 255 }),
  data: dataField,
  customer: requiredId(),
});

export type CustomerEventInput = ReturnType<typeof customerEventBody.parse>;
