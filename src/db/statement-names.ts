// Names for the compile-once statements (prepared.ts) on PostgreSQL. An unnamed statement is
// parsed and planned on every call; a named one is parsed once per connection and then only
// bound and run (issue 17: the assignment's statements each cost a parse and a plan). Only
// compile-once SQL is named: its text is fixed, so the set is small and bounded, while a query
// built per call (a search's filter, an IN list) would fill every connection with statements
// used once. The name is derived from the text, so the same text gets the same name in every
// database and process, and a text can never meet another text's name on a connection.
import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/** marks a compile-once SQL text as one to run by name */
export function nameStatement(sqlText: string): void {
  if (!names.has(sqlText)) names.set(sqlText, `handoff_${createHash('sha256').update(sqlText).digest('hex').slice(0, 24)}`);
}

/** the name to run `sqlText` by, or undefined for a statement built per call */
export const statementName = (sqlText: string): string | undefined => names.get(sqlText);
