// Search conditions (filter.ts) → SQL expressions. Column names come only from the field
// catalogue; every value is a bound parameter. `~`/`!~` are literal, case-insensitive
// substring tests: %, _ and \ in the value match only themselves (API.md §5).
import { sql, type Expression, type SqlBool } from 'kysely';
import { lookup } from '../../lib/lookup.ts';
import type { Condition, Filter } from './filter.ts';

const COMPARE = lookup({ '=': '=', '!=': '<>', '>': '>', '<': '<', '>=': '>=', '<=': '<=' });

/** `%gmail%` for LIKE with `\` as the escape character */
export function containsPattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** what some field kinds need to know about the searched rows */
export interface SqlContext {
  /** the organization searched: subqueries are scoped by it too (DESIGN rule 5) */
  orgId: number;
  /** the chats row's id column, for `participant` (absent where no such field exists) */
  chatId?: string;
  /**
   * How a condition on the customer's fields (`through`) is tested. `in` (the default): the
   * matching customers are found once and the rows looked up by them — right for counting, and
   * for pages when few customers match. `exists`: each row visited checks its own customer —
   * right for a page when many match, so a walk in sort order stops after a few hundred rows
   * instead of first finding all 53,000 matching customers (issue 3 (iii): 140 ms → ~1 ms).
   */
  customers?: 'in' | 'exists';
  /** SQLite: customer_trigrams exists (migration 0008) to narrow `~` on indexed customer fields */
  trigrams?: boolean;
}

/**
 * An FTS5 query for `value` as a substring of `column`: one phrase of the value's trigrams.
 * The index holds lower() text case-sensitively and the value is lowered as containsPattern
 * lowers it, so the phrase matches exactly the customers the LIKE test does (which still runs).
 */
export function trigramPhrase(column: string, value: string): string {
  return `${column} : "${value.toLowerCase().replace(/"/g, '""')}"`;
}

/** a trigram index finds no substring shorter than three characters */
const trigramsCanFind = (value: string) => [...value.toLowerCase()].length >= 3;

export function conditionSql(c: Condition, ctx: SqlContext): Expression<SqlBool> {
  const spec = c.spec;
  switch (spec.kind) {
    case 'id':
    case 'date':
    case 'enum': {
      const col = sql.ref(spec.column);
      if (c.value === null) return c.operator === '=' ? sql<SqlBool>`${col} is null` : sql<SqlBool>`${col} is not null`;
      // `!=` also matches rows where the column is empty: "not assigned to 7" includes unassigned.
      if (c.operator === '!=') return sql<SqlBool>`(${col} is null or ${col} <> ${c.value})`;
      // filter.ts lets only these operators through for id, date and enum fields
      return sql<SqlBool>`${col} ${sql.raw(COMPARE[c.operator]!)} ${c.value}`;
    }
    case 'string': {
      const test = stringTest(spec.column, c.operator, c.value as string);
      if (!spec.through) return test;
      const fk = sql.ref(spec.through.fk);
      if (ctx.customers === 'exists') {
        return sql<SqlBool>`exists (select 1 from customers cu where cu.id = ${fk} and cu.organization_id = ${ctx.orgId} and ${test})`;
      }
      if (ctx.trigrams && spec.trigrams && c.operator === '~' && trigramsCanFind(c.value as string)) {
        // CROSS JOIN makes SQLite start from the index's matches; left to itself it scans every
        // customer and merely checks them against the matches (bench: "globex12" 36 ms → 2 ms).
        return sql<SqlBool>`${fk} in (select cu.id from customer_trigrams cross join customers cu on cu.id = customer_trigrams.rowid
          where customer_trigrams match ${trigramPhrase(spec.trigrams, c.value as string)} and cu.organization_id = ${ctx.orgId} and ${test})`;
      }
      return sql<SqlBool>`${fk} in (select cu.id from customers cu where cu.organization_id = ${ctx.orgId} and ${test})`;
    }
    case 'participant': {
      const has = sql<SqlBool>`exists (select 1 from chat_agents ca where ca.chat_id = ${sql.ref(ctx.chatId!)} and ca.agent_id = ${c.value})`;
      return c.operator === '=' ? has : sql<SqlBool>`not ${has}`;
    }
    case 'anyOf': {
      const any = spec.fields.map((field) => conditionSql({ spec: field, operator: c.operator, value: c.value }, ctx));
      return sql<SqlBool>`(${sql.join(any, sql` or `)})`;
    }
    case 'tags': {
      const names = c.value as string[];
      const all = sql.join(
        names.map((n) => sql`exists (select 1 from customer_tags t where t.customer_id = ${sql.ref(spec.customerColumn)} and t.name = ${n})`),
        sql` and `,
      );
      return c.operator === '=' ? sql<SqlBool>`(${all})` : sql<SqlBool>`not (${all})`;
    }
  }
}

function stringTest(column: string, operator: Condition['operator'], v: string): Expression<SqlBool> {
  const col = sql.ref(column);
  if (operator === '=') return sql<SqlBool>`${col} = ${v}`;
  if (operator === '!=') return sql<SqlBool>`(${col} is null or ${col} <> ${v})`;
  const like = sql<SqlBool>`lower(${col}) like ${containsPattern(v)} escape '\\'`;
  return operator === '~' ? like : sql<SqlBool>`(${col} is null or not (${like}))`;
}

/** the whole filter; an empty filter matches everything */
export function filterSql(f: Filter, ctx: SqlContext): Expression<SqlBool> | null {
  if (f.conditions.length === 0) return null;
  const parts = f.conditions.map((c) => conditionSql(c, ctx));
  return sql<SqlBool>`(${sql.join(parts, f.comparison === 'AND' ? sql` and ` : sql` or `)})`;
}
