/**
 * Which driver errors mean the connection to PostgreSQL was lost, and whether the statement then
 * certainly did not take effect. The server answers a statement it aborts because its backend was
 * terminated or is shutting down with SQLSTATE class 57P (the transaction is rolled back), and a
 * refused connection never ran anything: both may be sent again. A socket closed without an answer
 * leaves the outcome unknown, so such a statement is failed, never repeated.
 */
import { HubError } from "../errors.js";

/** Errors where nothing reached the database, or the server says it rolled the statement back. */
const NOT_APPLIED = new Set(["57P01", "57P02", "57P03", "08001", "08004", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
/** Lost connections whose statement may or may not have been applied. */
const OUTCOME_UNKNOWN = new Set(["08000", "08003", "08006", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;
const messageOf = (error: unknown): string => String((error as { message?: unknown } | null)?.message ?? "");

/** The statement did not take effect and the connection was lost: sending it again is safe. */
export function notApplied(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && NOT_APPLIED.has(code);
}

/** The connection to the database failed, whether or not the statement was applied. */
export function connectionLost(error: unknown): boolean {
  if (notApplied(error)) return true;
  const code = codeOf(error);
  if (code !== undefined && OUTCOME_UNKNOWN.has(code)) return true;
  // node-postgres reports a socket closed under a query, or a query on a closed client, without a code.
  // Prisma's driver adapter passes the server's or the driver's message on inside its own error.
  return /Connection terminated|Client has encountered a connection error|Client was closed|terminating connection due to/i.test(
    messageOf(error),
  );
}

/** What a client reads instead of the driver's message: a typed, retryable refusal. */
export function databaseUnavailable(cause: unknown): HubError {
  const error = new HubError("DATABASE_UNAVAILABLE", "the database is unavailable; try again shortly", { retryable: true });
  error.cause = cause;
  return error;
}
