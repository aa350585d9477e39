/** Plain SQL on the hub's database, without Prisma: what database.ts opens and the migrations run on. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs fn inside one transaction; statements issued through `tx` commit or roll back together. On PostgreSQL,
   * when the connection dies before COMMIT, fn runs again from the start on a fresh one (database.ts), so fn
   * should do nothing but its statements and what follows from their results.
   */
  transaction<R>(fn: (tx: Pick<Sql, "query">) => Promise<R>): Promise<R>;
}

/**
 * Runs fn's reads on one snapshot of the database. Reads that must agree with each other (rows and the head
 * that sums them) would otherwise each see the commits made between them.
 */
export function onOneSnapshot<R>(sql: Sql, fn: (tx: Pick<Sql, "query">) => Promise<R>): Promise<R> {
  return sql.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return fn(tx);
  });
}
