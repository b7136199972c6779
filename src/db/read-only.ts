// `database.db` reads; every change goes through `database.write()` (handle.ts). On SQLite the
// handle is a read-only connection, so a write there would fail with SQLite's own error; this
// plugin refuses it on both databases before it reaches either, with a message that says where
// the write belongs. (Migrations are given the writer by `exclusive()`.)
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

export const isChange = (node: RootOperationNode): boolean => WRITES.has(node.kind);
export const READ_ONLY = 'database.db only reads: run changes inside database.write()';

export class ReadOnlyPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (isChange(node)) throw new Error(READ_ONLY);
    return node;
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/** whether `db` is (or was begun from) a read-only handle: its changes are refused */
export const isReadOnly = (db: { getExecutor(): { readonly plugins: readonly KyselyPlugin[] } }): boolean =>
  db.getExecutor().plugins.some((p) => p instanceof ReadOnlyPlugin);
