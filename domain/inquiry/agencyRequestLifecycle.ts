/**
 * The life of one agency request (a part of an inquiry, a control of a measure, or a request for police
 * assistance), from recording to its final answer:
 *
 *   QUEUED ──SEND──▶ SENT ──AWAIT──▶ AWAITING (a ticket: poll or callback)
 *     ▲               │                 │
 *     └───REQUEUE─────┴─────────────────┘ (a transient failure, retried after backoff)
 *   any open status ──ANSWER / REFUSE / FAIL / TIME_OUT──▶ ANSWERED / REFUSED / FAILED / TIMED_OUT
 *
 * A submission that fails in flight is sent again (SENT ──SEND──▶ SENT); the final statuses are those no
 * event leaves, so a late poll or a duplicate callback never moves a finished request.
 */
import { lifecycle } from "../lifecycle.js";

export const AGENCY_REQUEST_STATUSES = ["QUEUED", "SENT", "AWAITING", "ANSWERED", "REFUSED", "FAILED", "TIMED_OUT"] as const;
export type AgencyRequestStatus = (typeof AGENCY_REQUEST_STATUSES)[number];

const OPEN = ["QUEUED", "SENT", "AWAITING"] as const satisfies readonly AgencyRequestStatus[];

export const AGENCY_REQUEST_TRANSITIONS = {
  SEND: { from: ["QUEUED", "SENT"], to: "SENT" },
  AWAIT: { from: OPEN, to: "AWAITING" },
  REQUEUE: { from: OPEN, to: "QUEUED" },
  ANSWER: { from: OPEN, to: "ANSWERED" },
  REFUSE: { from: OPEN, to: "REFUSED" },
  FAIL: { from: OPEN, to: "FAILED" },
  TIME_OUT: { from: OPEN, to: "TIMED_OUT" },
} as const;
export type AgencyRequestEvent = keyof typeof AGENCY_REQUEST_TRANSITIONS;

export const agencyRequestLifecycle = lifecycle<AgencyRequestStatus, AgencyRequestEvent>(
  AGENCY_REQUEST_STATUSES,
  AGENCY_REQUEST_TRANSITIONS,
);

type To<E extends AgencyRequestEvent> = (typeof AGENCY_REQUEST_TRANSITIONS)[E]["to"];
/** The statuses a request ends in. */
export type FinalStatus = To<"ANSWER" | "REFUSE" | "FAIL" | "TIME_OUT">;
/** The statuses of a request still being worked on. */
export type OpenStatus = (typeof OPEN)[number];
/** The statuses a request goes back to the schedule in: a ticket to poll, or a retry after backoff. */
export type RescheduledStatus = To<"AWAIT" | "REQUEUE">;
