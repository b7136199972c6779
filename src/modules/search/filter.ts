// The search language of API.md §4.1, parsed against a catalogue of fields. Only catalogue
// fields and their operators get through; values are typed here and later bound as SQL
// parameters (sql.ts), never spliced. Every problem is reported at once, naming
// `filter[i].field`, `filter[i].operator` or `filter[i].value`.
import { Invalid, type ErrorItem } from '../../errors.ts';
import { parseEntityId, parseInteger, REASON } from '../../input/validate.ts';
import { lookup, type Lookup } from '../../lib/lookup.ts';

export type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '!~';
/** every operator, in the order API.md §4.1 lists them (and a refusal names them) */
const ALL_OPERATORS: Operator[] = ['=', '!=', '>', '<', '>=', '<=', '~', '!~'];
const ORDERING: Operator[] = ['=', '!=', '>', '<', '>=', '<='];
const EQUALITY: Operator[] = ['=', '!='];

/** What a field holds decides its operators and how its value is read. */
export type FieldSpec =
  | { kind: 'id'; column: string; nullable: boolean }
  | { kind: 'date'; column: string; nullable: boolean }
  | { kind: 'enum'; column: string; nullable: boolean; values: readonly string[]; aliases?: Lookup<string> }
  /**
   * `through`: the column is the customer's, reached from the searched row's customer id.
   * The condition then runs as `fk IN (matching customers)` rather than a join, so counting
   * a million chats costs one pass over customers, not a lookup per chat (bench: 5 s → 0.1 s).
   */
  | {
      kind: 'string';
      column: string;
      through?: { fk: string };
      /** SQLite: the column of customer_trigrams (migration 0008) indexing lower(column), for `~` */
      trigrams?: string;
    }
  /** a chat's participants: chats where the agent wrote (chat_agents) */
  | { kind: 'participant' }
  /** the customer's tags: value `[{name}]`, every one must be present */
  | { kind: 'tags'; customerColumn: string }
  /**
   * Internal, in no catalogue clients name: one value tested against several string fields,
   * matching when any does (the inbox's `q`: the customer's name or email).
   */
  | { kind: 'anyOf'; fields: Array<Extract<FieldSpec, { kind: 'string' }>> };

/**
 * The fields by the names clients give them: a lookup, so `constructor` is no field (issue 12).
 * An alias is a later name holding the very spec object of an earlier one (the reference also
 * writes `customers.email` for a chat's `customer.email`): it searches alike and is not listed
 * among the valid choices.
 */
export type Catalogue = Lookup<FieldSpec>;

/** the names a refusal lists, in catalogue order: each field once, by its first name */
export function fieldChoices(catalogue: Catalogue): string[] {
  const seen = new Set<FieldSpec>();
  return Object.entries(catalogue).flatMap(([name, spec]) => (!spec || seen.has(spec) ? [] : (seen.add(spec), [name])));
}

/**
 * Symfony's sentence, then the choices (issue 16): a client that guessed a name learns the
 * valid ones from the answer. No final period: names hold dots themselves.
 */
export const choiceReason = (what: string, choices: readonly string[]) => `${REASON.choice} Valid ${what}: ${choices.join(', ')}`;

export const OPERATORS: Readonly<Record<FieldSpec['kind'], Operator[]>> = lookup({
  id: ORDERING,
  date: ORDERING,
  enum: EQUALITY,
  string: ['=', '!=', '~', '!~'],
  participant: EQUALITY,
  tags: EQUALITY,
  anyOf: ['~'],
});

export interface Condition {
  spec: FieldSpec;
  operator: Operator;
  /** null only for nullable fields with = or != */
  value: number | string | string[] | null;
}

export interface Filter {
  conditions: Condition[];
  comparison: 'AND' | 'OR';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `prefix` is the entity's name (`chats`): fields are accepted with it (`chats.status`, as
 * documented) or without (`status`), as sort keys are (API.md §1).
 */
export function parseFilter(rawFilter: unknown, rawComparison: unknown, catalogue: Catalogue, prefix: string): Filter {
  const items: ErrorItem[] = [];
  let comparison: Filter['comparison'] = 'AND';
  if (rawComparison !== undefined && rawComparison !== null && rawComparison !== '') {
    const c = typeof rawComparison === 'string' ? rawComparison.toUpperCase() : null;
    if (c === 'AND' || c === 'OR') comparison = c;
    else items.push({ code: 'comparison', message: REASON.choice });
  }
  const conditions: Condition[] = [];
  if (rawFilter !== undefined && rawFilter !== null) {
    if (!Array.isArray(rawFilter)) items.push({ code: 'filter', message: 'This value should be of type array.' });
    else if (rawFilter.length > SEARCH_LIMITS.conditions) items.push({ code: 'filter', message: tooMany(SEARCH_LIMITS.conditions) });
    else rawFilter.forEach((raw, i) => {
      const parsed = parseCondition(raw, `filter[${i}]`, catalogue, prefix, items);
      if (parsed) conditions.push(parsed);
    });
  }
  if (items.length > 0) throw new Invalid(items);
  return { conditions, comparison };
}

function parseCondition(raw: unknown, at: string, catalogue: Catalogue, prefix: string, items: ErrorItem[]): Condition | null {
  if (!isObject(raw)) {
    items.push({ code: at, message: REASON.object });
    return null;
  }
  const field = raw.field;
  let spec: FieldSpec | undefined;
  if (field === undefined || field === null || field === '') items.push({ code: `${at}.field`, message: REASON.blank });
  else if (typeof field !== 'string') items.push({ code: `${at}.field`, message: REASON.string });
  else {
    const name = field.startsWith(`${prefix}.`) ? field.slice(prefix.length + 1) : field;
    spec = catalogue[name];
    if (!spec) items.push({ code: `${at}.field`, message: choiceReason('fields', fieldChoices(catalogue).map((n) => `${prefix}.${n}`)) });
  }
  const operator = raw.operator;
  let op: Operator | undefined;
  // the operators listed are the field's own when the field is known, else all of them
  const operators = spec ? OPERATORS[spec.kind] : ALL_OPERATORS;
  if (operator === undefined || operator === null || operator === '') items.push({ code: `${at}.operator`, message: REASON.blank });
  else if (typeof operator !== 'string' || !(ALL_OPERATORS as string[]).includes(operator)) {
    items.push({ code: `${at}.operator`, message: choiceReason('operators', operators) });
  } else if (!operators.includes(operator as Operator)) {
    items.push({ code: `${at}.operator`, message: `The operator "${operator}" cannot be used with this field. Valid operators: ${operators.join(', ')}` });
  } else op = operator as Operator;
  if (!spec || !op) return null;

  const value = parseValue(spec, op, raw.value, Object.hasOwn(raw, 'value'));
  if (typeof value === 'object' && value !== null && 'reason' in value) {
    items.push({ code: `${at}.value`, message: value.reason });
    return null;
  }
  return { spec, operator: op, value: value as Condition['value'] };
}

type Refusal = { reason: string };

/**
 * What one search may ask (issue 15; docs/compatibility.md): without bounds, 1,000 conditions or
 * a 50,000-character value failed on SQLite, and 1,000 tag conditions of 10 names cost
 * PostgreSQL 9.5 s of CPU for one request. Every stored value a string field searches is at
 * most 255 characters, so a longer value could only ever match nothing.
 */
export const SEARCH_LIMITS = { conditions: 50, valueLength: 255, tagsPerCondition: 20 } as const;
const tooMany = (n: number) => `This collection should contain ${n} elements or less.`;
const tooLong = (n: number) => `This value is too long. It should have ${n} characters or less.`;

function parseValue(spec: FieldSpec, op: Operator, raw: unknown, present: boolean): Condition['value'] | Refusal {
  if (raw === null || !present) {
    const nullable = 'nullable' in spec && spec.nullable && EQUALITY.includes(op);
    return nullable && present ? null : { reason: REASON.blank };
  }
  switch (spec.kind) {
    case 'id':
    case 'participant': {
      const n = parseEntityId(raw);
      return n.ok ? n.value : { reason: n.reason };
    }
    case 'date': {
      if (typeof raw === 'string' && /^\s*\d+\.\d*\s*$/.test(raw)) return Math.trunc(Number(raw));
      const n = parseInteger(raw);
      return n.ok ? n.value : { reason: n.reason };
    }
    case 'enum': {
      if (typeof raw !== 'string') return { reason: REASON.choice };
      const v = spec.values.includes(raw) ? raw : spec.aliases?.[raw];
      return v ?? { reason: REASON.choice };
    }
    case 'string':
    case 'anyOf':
      if (typeof raw === 'number') return String(raw); // numeric strings sent as numbers (userId: 42)
      if (typeof raw !== 'string') return { reason: REASON.string };
      if (raw.length > SEARCH_LIMITS.valueLength) return { reason: tooLong(SEARCH_LIMITS.valueLength) };
      if (raw === '' && (op === '~' || op === '!~')) return { reason: REASON.blank };
      return raw;
    case 'tags': {
      if (!Array.isArray(raw) || raw.length === 0) return { reason: 'This value should be a non-empty array of {"name": string}.' };
      if (raw.length > SEARCH_LIMITS.tagsPerCondition) return { reason: tooMany(SEARCH_LIMITS.tagsPerCondition) };
      const names: string[] = [];
      for (const t of raw) {
        const name = typeof t === 'string' ? t : isObject(t) ? t.name : undefined;
        if (typeof name !== 'string' || name.trim() === '') return { reason: 'This value should be a non-empty array of {"name": string}.' };
        names.push(name.trim());
      }
      return names;
    }
  }
}

/**
 * The filter as a string that two requests share exactly when they match the same rows: the
 * fields as the catalogue resolved them (`status` and `chats.status` alike), the operators and
 * the parsed values (aliases already resolved). Used as a key by totals-cache.ts.
 */
export function filterKey(f: Filter): string {
  return JSON.stringify([f.conditions.length > 1 ? f.comparison : 'AND', f.conditions.map((c) => [c.spec, c.operator, c.value])]);
}
