/**
 * The life of a control measure (控) at its agency. The agency's answer to the order moves a measure still
 * REQUESTED only: a resent order is answered from the agency's stored original, which may be stale by then
 * (the queued measure since reported in effect, or released), and "QUEUED, rank 2" must not undo either.
 *
 *   REQUESTED ──MISS_DEADLINE──▶ UNCONFIRMED (no answer by the agency's deadline: the hub keeps asking, since the
 *                                  agency may have carried the order out; only its word settles the measure)
 *   REQUESTED, UNCONFIRMED ──TAKE_EFFECT / QUEUE / REFUSE / FAIL──▶ EFFECTIVE / QUEUED / REFUSED / FAILED (the answer to the order)
 *   REQUESTED, UNCONFIRMED, QUEUED ──REPORT_EFFECTIVE──▶ EFFECTIVE (轮候 over: 查扣冻规定 2020 art. 26)
 *   EFFECTIVE, QUEUED ──LAPSE──▶ LAPSED (last day passed unrenewed: 查扣冻规定 2020 art. 27)
 *   EFFECTIVE ──COMPLETE──▶ COMPLETED (a withholding of income whose total the payer has withheld: 民事诉讼法 2023 art. 254)
 *   any ──RELEASE──▶ RELEASED (the agency's word that it released the measure stands, whatever the hub thought)
 */
import { lifecycle } from "../lifecycle.js";

export const MEASURE_STATUSES = [
  "REQUESTED",
  "UNCONFIRMED",
  "EFFECTIVE",
  "QUEUED",
  "REFUSED",
  "FAILED",
  "RELEASED",
  "LAPSED",
  "COMPLETED",
] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const MEASURE_TRANSITIONS = {
  MISS_DEADLINE: { from: ["REQUESTED"], to: "UNCONFIRMED" },
  TAKE_EFFECT: { from: ["REQUESTED", "UNCONFIRMED"], to: "EFFECTIVE" },
  QUEUE: { from: ["REQUESTED", "UNCONFIRMED"], to: "QUEUED" },
  REFUSE: { from: ["REQUESTED", "UNCONFIRMED"], to: "REFUSED" },
  FAIL: { from: ["REQUESTED", "UNCONFIRMED"], to: "FAILED" },
  REPORT_EFFECTIVE: { from: ["REQUESTED", "UNCONFIRMED", "QUEUED"], to: "EFFECTIVE" },
  LAPSE: { from: ["EFFECTIVE", "QUEUED"], to: "LAPSED" },
  COMPLETE: { from: ["EFFECTIVE"], to: "COMPLETED" },
  RELEASE: { from: MEASURE_STATUSES, to: "RELEASED" },
} as const;
export type MeasureEvent = keyof typeof MEASURE_TRANSITIONS;

export const measureLifecycle = lifecycle<MeasureStatus, MeasureEvent>(MEASURE_STATUSES, MEASURE_TRANSITIONS);

/**
 * The events that settle whether an order reached the agency, or that it may have: only these can free a release held until
 * then (heldReleases.ts). An order gone UNCONFIRMED may be in force, so a release of it goes to the agency.
 */
export const ORDER_ANSWERS = ["TAKE_EFFECT", "QUEUE", "REFUSE", "FAIL", "MISS_DEADLINE"] as const satisfies readonly MeasureEvent[];

/** Ordered and not yet answered: a release waits for the answer (heldReleases.ts). */
export const AWAITING_ANSWER = measureLifecycle.statusesFrom("MISS_DEADLINE");

/** Held at the agency, effective or queued: what lapses on its last day, and what a release has something to release at the agency. */
export const HELD_AT_AGENCY = measureLifecycle.statusesFrom("LAPSE");
/** What a release may find something to release of at the agency: held there, or perhaps held (UNCONFIRMED). */
export const RELEASABLE_AT_AGENCY = [...HELD_AT_AGENCY, MEASURE_TRANSITIONS.MISS_DEADLINE.to] as const;
/** Ordered and not ended (requested, perhaps held, effective or queued): what a second order on the same asset meets. */
export const OPEN_MEASURES = [...AWAITING_ANSWER, ...RELEASABLE_AT_AGENCY] as const;
/**
 * What holds, or may hold, value against the claim: requested, UNCONFIRMED (perhaps carried out) or effective; queued
 * measures hold nothing until they take effect. The over-seizure and deduction guards count these.
 */
export const HOLDING_OR_MAY_HOLD = [...AWAITING_ANSWER, MEASURE_TRANSITIONS.MISS_DEADLINE.to, MEASURE_TRANSITIONS.TAKE_EFFECT.to] as const;
