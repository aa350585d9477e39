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
