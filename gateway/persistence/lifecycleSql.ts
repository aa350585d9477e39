/**
 * SQL guards built from a lifecycle's transition table (domain/lifecycle.ts), so statements never carry a
 * status list of their own. Status and event names are upper-case identifiers, safe to inline as literals;
 * inlined, the guards stay constant text and their statements keep their prepared plans.
 */
import type { Lifecycle } from "../../domain/lifecycle.js";

const NAME = /^[A-Z][A-Z_]*$/;

/** `'A', 'B'`: the names as a list of SQL literals, for `IN (…)`. */
export function sqlList(names: readonly string[]): string {
  if (names.length === 0 || names.some((name) => !NAME.test(name))) throw new Error(`not a list of status names: ${names.join(", ")}`);
  return names.map((name) => `'${name}'`).join(", ");
}

/** True when the row's status (`statusExpr`) is one the table lets the event (`eventExpr`, text) move. */
export function allowedTransitionSql<S extends string, E extends string>(
  table: Lifecycle<S, E>,
  eventExpr: string,
  statusExpr: string,
): string {
  const pairs = table.pairs().map(([event, from]) => `(${sqlList([event, from])})`);
  return `(${eventExpr}, ${statusExpr}::text) IN (VALUES ${pairs.join(", ")})`;
}
