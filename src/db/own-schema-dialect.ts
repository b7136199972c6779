// PostgreSQL as Kysely's dialect, with an introspector that looks at Handoff's own schema only.
// Kysely's Migrator asks the introspector whether its bookkeeping tables exist, and the stock
// PostgreSQL introspector answers by reading every column of every schema on the server (with
// pg_get_serial_sequence per column): a schema someone else drops meanwhile — another
// application's, or another test file's in the suite — failed the migration with
// `schema "…" does not exist`. That question is Handoff's only use of introspection.
import { PostgresDialect, sql, type DatabaseIntrospector, type Kysely, type PostgresDialectConfig, type TableMetadata } from 'kysely';

export class OwnSchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const schema = this.schema;
    const getTables = async (): Promise<TableMetadata[]> => {
      const { rows } = await sql<{ name: string; type: string }>`
        select table_name as name, table_type as type from information_schema.tables where table_schema = ${schema}`.execute(db);
      return rows.map((r) => ({ name: r.name, schema, isView: r.type === 'VIEW', columns: [] }));
    };
    return {
      getSchemas: async () => [{ name: schema }],
      getTables,
      getMetadata: async () => ({ tables: await getTables() }),
    };
  }
}
