/**
 * The life of one list change on its way to one partner that receives the lists by push. The
 * partner reads the change log by its cursor: a change not yet read, or held back behind an earlier
 * change of its debtor, is PENDING; in the batch out to the partner it is LEASED.
 *
 *   (change) ──▶ PENDING ──CLAIM──▶ LEASED ──ACKNOWLEDGE──▶ DELIVERED (the row is deleted)
 *                 ▲  ▲                │
 *                 │  └────────────────┼── UNREACHABLE (the attempt does not count), REFUSE (it counts),
 *                 │                   │   LEASE_EXPIRY (the sending instance is gone; nothing is written)
 *                 │                   └── UNREACHABLE, REFUSE once the counted attempts reach the maximum
 *                 └────REPLAY──── DEAD ◀┘  (a supervisor sends it again; its attempts start from nought)
 *
 * An unreachable partner catches up by itself when it returns, so only a partner that answers and
 * refuses uses up attempts; a row that has used them all is dead-lettered for a supervisor to see.
 * Rows (sanction_delivery) exist only for held-back changes (PENDING) and dead ones (DEAD); a change
 * the cursor has not reached has none, and the batch out (LEASED) is the seqs on the partner's cursor row,
 * whose lease is what makes them LEASED. A delivered change's held-back row is deleted.
 */

export const DELIVERY_STATUSES = ["PENDING", "DEAD"] as const;
/** What sanction_delivery.status holds. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_STATES = ["PENDING", "LEASED", "DEAD", "DELIVERED"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const DELIVERY_EVENTS = ["CLAIM", "ACKNOWLEDGE", "UNREACHABLE", "REFUSE", "LEASE_EXPIRY", "REPLAY"] as const;
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

/** A change waits for its partner's cursor (or, held back, in a row). */
export const ENQUEUED: DeliveryState = "PENDING";

interface Transition {
  from: readonly DeliveryState[];
  to: DeliveryState;
  /** Added to the row's attempts; a replay sets them back to nought instead. */
  attempt?: 0 | 1 | "RESET";
  /** Where a failure leaves the row once its attempts reach the maximum. */
  exhausted?: DeliveryState;
}

const TRANSITIONS: Readonly<Record<DeliveryEvent, Transition>> = {
  CLAIM: { from: ["PENDING"], to: "LEASED" },
  ACKNOWLEDGE: { from: ["LEASED"], to: "DELIVERED" },
  UNREACHABLE: { from: ["LEASED"], to: "PENDING", attempt: 0, exhausted: "DEAD" },
  REFUSE: { from: ["LEASED"], to: "PENDING", attempt: 1, exhausted: "DEAD" },
  LEASE_EXPIRY: { from: ["LEASED"], to: "PENDING" },
  REPLAY: { from: ["DEAD"], to: "PENDING", attempt: "RESET" },
};

const STORED: Readonly<Record<DeliveryState, DeliveryStatus | null>> = {
  PENDING: "PENDING",
  LEASED: "PENDING",
  DEAD: "DEAD",
  DELIVERED: null,
};

export function deliveryTransition(event: DeliveryEvent): Readonly<Transition> {
  return TRANSITIONS[event];
}

/** The status column of a row in `state`; null for a delivered row, which is no longer there. */
export function storedStatus(state: DeliveryState): DeliveryStatus | null {
  return STORED[state];
}

/** The status column values a row may hold for `event` to apply to it, for the store's SQL guards. */
export function statusesBefore(event: DeliveryEvent): DeliveryStatus[] {
  const statuses = TRANSITIONS[event].from.map(storedStatus).filter((status) => status !== null);
  return [...new Set(statuses)];
}

export interface DeliveryRow {
  state: DeliveryState;
  /** Counted failed attempts. */
  attempts: number;
}

/** The row after `event`, or null when the event cannot happen to a row in that state. */
export function nextDelivery(row: DeliveryRow, event: DeliveryEvent, maxAttempts: number): DeliveryRow | null {
  const transition = TRANSITIONS[event];
  if (!transition.from.includes(row.state)) return null;
  const attempts = transition.attempt === "RESET" ? 0 : row.attempts + (transition.attempt ?? 0);
  const state = transition.exhausted && attempts >= maxAttempts ? transition.exhausted : transition.to;
  return { state, attempts };
}
