/**
 * A lifecycle as a pure transition table: each event moves a row from one of its `from` statuses to its `to`.
 * Stores build their SQL guards from the table, so a status list is written once, here, and a late answer or
 * a second instance can only make the moves the table allows.
 */
export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

export interface Lifecycle<S extends string, E extends string> {
  statuses: readonly S[];
  events: readonly E[];
  table: Readonly<Record<E, Transition<S>>>;
  /** Statuses no event leads out of. */
  finalStatuses: readonly S[];
  /** Statuses some event leads out of. */
  openStatuses: readonly S[];
  /** Where the event moves a row in `status`, or undefined when the event does not apply to it. */
  next(status: S, event: E): S | undefined;
  isFinal(status: string): boolean;
  /** The statuses the event applies to: the guard of its statement. */
  statusesFrom(event: E): readonly S[];
  /** Every (event, from) pair the table allows, for a guard of a statement whose rows carry different events. */
  pairs(): readonly (readonly [E, S])[];
}

export function lifecycle<S extends string, E extends string>(statuses: readonly S[], table: Readonly<Record<E, Transition<S>>>) {
  const events = Object.keys(table) as E[];
  const leaves = (status: S) => events.some((event) => table[event].from.includes(status) && table[event].to !== status);
  const finalStatuses = statuses.filter((status) => !leaves(status));
  const result: Lifecycle<S, E> = {
    statuses,
    events,
    table,
    finalStatuses,
    openStatuses: statuses.filter(leaves),
    next: (status, event) => (table[event].from.includes(status) ? table[event].to : undefined),
    isFinal: (status) => (finalStatuses as readonly string[]).includes(status),
    statusesFrom: (event) => table[event].from,
    pairs: () => events.flatMap((event) => table[event].from.map((from) => [event, from] as const)),
  };
  return result;
}
