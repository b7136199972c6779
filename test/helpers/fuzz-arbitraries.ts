// What the fuzz suites send (issue 15 item 2): hostile values, and requests shaped by a route's
// real fields — its sample body mutated at any depth, its schema's keys given hostile values —
// so most cases get past "body must be an object" into each field's own validation, plus fully
// arbitrary JSON, text that is not JSON, odd content types, methods, paths and queries.
import fc from 'fast-check';

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];
/** ids and integers at the edges both databases care about: 32-bit columns, JavaScript's 2^53 */
const EDGES = [0, 1, -1, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, -(2 ** 53), 1e21, 1e308, -0, 0.5, 1e-7];
const ODD_TEXT = ['', ' ', '\t', 'null', 'true', 'NaN', 'Infinity', '1.0', '1e3', '0x10', '+1', '00', '٣', '１', 'Ok', '%', '_', '\\', "'; drop table chats; --", '\u2028', '\uFEFF'];
const SURROGATES = ['\uD800', '\uDFFF', 'a\uD83Db', '\uDE00x', '\uD800\uD800'];

const withNul = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`);
const withSurrogate = fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...SURROGATES), fc.string({ maxLength: 6 })).map(([a, s, b]) => a + s + b);
const huge = fc.constantFrom('x'.repeat(70_000), '\u00e9'.repeat(300_000), 'é'.repeat(2_000) + '\u0000');
const hugeArray = fc.constantFrom(
  Array.from({ length: 20_000 }, (_, i) => i),
  Array.from({ length: 1_000 }, (_, i) => ({ name: `t${i}`, field: 'chats.status', operator: '=', value: 'new' })),
  Array.from({ length: 101 }, (_, i) => ({ name: `tag${i}` })),
  Array.from({ length: 11 }, () => ({ customer: 1 })),
);

/** one hostile scalar */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom(...EDGES),
  fc.constantFrom(...EDGES.map(String)),
  fc.constantFrom(...ODD_TEXT),
  withNul,
  withSurrogate,
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** a hostile value: a scalar, a wrong container, or something very large */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: hostileScalar },
  { weight: 2, arbitrary: fc.array(hostileScalar, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 5 })), hostileScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: hugeArray },
);

type Json = unknown;
const clone = (v: Json): Json => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** every path into a JSON value (object keys, array indexes), the root's own `[]` included */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/**
 * `value` set at `path` inside a copy of `sample` (`undefined` deletes the key). Set with
 * defineProperty so `__proto__` becomes an own key, as JSON.parse makes it on the server.
 */
function setAt(sample: Json, path: Array<string | number>, value: unknown): Json {
  if (path.length === 0) return value;
  const isContainer = (v: unknown) => v !== null && typeof v === 'object';
  // an earlier mutation may have replaced a container on the way with a scalar: the path ends there
  const root = isContainer(sample) ? clone(sample) : {};
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    if (!isContainer(node[k])) return root;
    node = node[k] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

export interface BodyCase {
  /** what is sent: a JSON value (serialized), raw text or bytes, `depth` arrays nested at `path` of `sample`, or nothing */
  kind: 'json' | 'raw' | 'deep' | 'none';
  value?: unknown;
}

/** The bytes a case sends (undefined: no body). Deep nesting is written as text: JSON.stringify would recurse. */
export function payloadOf(body: BodyCase): string | Buffer | undefined {
  if (body.kind === 'none') return undefined;
  if (body.kind === 'raw') return body.value as string | Buffer;
  if (body.kind === 'json') return JSON.stringify(body.value) ?? 'null';
  const { sample, path, depth, inner } = body.value as { sample: Json; path: Array<string | number>; depth: number; inner: string };
  const mark = '\u2063deep\u2063';
  return (JSON.stringify(setAt(sample, path, mark)) ?? '').replace(JSON.stringify(mark), '['.repeat(depth) + inner + ']'.repeat(depth));
}

/**
 * Bodies for a route: its sample mutated at one or more places (deleted, or a hostile value),
 * the schema's field names (at the top, or in the first item of a batch) set to hostile values,
 * prototype names as keys, arbitrary JSON, raw text and bytes, no body.
 */
export function bodyArbitrary(sample: Json, fields: string[]): fc.Arbitrary<BodyCase> {
  const places = paths(sample);
  const itemRoot: Array<string | number> = Array.isArray(sample) ? [0] : [];
  const keys = [...new Set([...fields, ...PROTOTYPE_NAMES])];
  const mutations = fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...places), fc.oneof({ weight: 5, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(undefined) })),
      fc.tuple(fc.constantFrom(...keys).map((k) => [...itemRoot, k]), hostileValue),
    ),
    { minLength: 1, maxLength: 3 },
  );
  const mutated = mutations.map((ms) => ({ kind: 'json' as const, value: ms.reduce<Json>((body, [path, value]) => setAt(body, path, value), sample) }));
  const rawText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('{"a":', '{', '[', '{"__proto__":{"x":1}}', '{"id":1}}', 'nul\u0000', "{'a':1}", '\uFEFF{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'));
  // arrays nested deep at one place of the sample, kept short in a counterexample (payloadOf writes it)
  const deep = fc
    .tuple(fc.constantFrom(...places), fc.constantFrom(65, 10_000, 200_000), fc.constantFrom('1', '"\\u0000"', '"\\ud800"', '{"a":"b"}'))
    .map(([path, depth, inner]) => ({ kind: 'deep' as const, value: { sample, path, depth, inner } }));
  return fc.oneof(
    { weight: 10, arbitrary: mutated },
    { weight: 1, arbitrary: deep },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: rawText.map((value) => ({ kind: 'raw' as const, value })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => ({ kind: 'raw' as const, value: Buffer.from(b) })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
}

/**
 * Percent-encoding that also takes lone surrogates (encodeURIComponent throws on them): they go
 * as the bytes a careless client would send, ED A0 80 and the like (not UTF-8).
 */
export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const hex = (byte: number) => `%${byte.toString(16).toUpperCase()}`;
    if (code >= 0xd800 && code <= 0xdfff) out += hex(0xe0 | (code >> 12)) + hex(0x80 | ((code >> 6) & 0x3f)) + hex(0x80 | (code & 0x3f));
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** a path segment standing for an id: edges, prototype names, NUL and lone surrogates encoded */
export const hostileSegment = fc.oneof(
  fc.constantFrom(...EDGES.map(String), ...PROTOTYPE_NAMES, '%00', '%ED%A0%80', '%E0%A4%A', '%2F', '..', '1%00', ' 1', '1.0', '0x1', 'null'),
  fc.string({ unit: 'binary', maxLength: 10 }).map(percentEncode),
);

/** query keys a route might read, and prototype names */
const QUERY_KEYS = ['offset', 'limit', 'sort', 'order', 'view', 'department', 'status', 'q', 'lastEventId', ...PROTOTYPE_NAMES];
const queryValue = fc.oneof(hostileScalar.map((v) => percentEncode(typeof v === 'string' ? v : JSON.stringify(v) ?? '')), fc.constantFrom('%00', '%ED%A0%80', 'x'.repeat(5_000)));
export const hostileQuery = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

export const ODD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'SEARCH', 'PROPFIND', 'LOCK'] as const;
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, 'application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
      'application/json; charset=latin1', 'application/octet-stream', '*/*', 'application/xml', 'garbage', '', 'application/json, text/plain',
    ),
  },
);
