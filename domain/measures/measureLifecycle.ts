/**
 * The life of a control measure (控) at its agency. The agency's answer to the order moves a measure still
 * REQUESTED only: a resent order is answered from the agency's stored original, which may be stale by then
 * (the queued measure since reported in effect, or released), and "QUEUED, rank 2" must not undo either.
 *
 *   REQUESTED ──TAKE_EFFECT / QUEUE / REFUSE / FAIL──▶ EFFECTIVE / QUEUED / REFUSED / FAILED (the answer to the order)
 *   REQUESTED, QUEUED ──REPORT_EFFECTIVE──▶ EFFECTIVE (轮候 over: 查扣冻规定 2020 art. 26)
 *   EFFECTIVE, QUEUED ──LAPSE──▶ LAPSED (last day passed unrenewed: 查扣冻规定 2020 art. 27)
 *   any ──RELEASE──▶ RELEASED (the agency's word that it released the measure stands, whatever the hub thought)
 */
import { lifecycle } from "../lifecycle.js";

export const MEASURE_STATUSES = ["REQUESTED", "EFFECTIVE", "QUEUED", "REFUSED", "FAILED", "RELEASED", "LAPSED"] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const MEASURE_TRANSITIONS = {
  TAKE_EFFECT: { from: ["REQUESTED"], to: "EFFECTIVE" },
  QUEUE: { from: ["REQUESTED"], to: "QUEUED" },
  REFUSE: { from: ["REQUESTED"], to: "REFUSED" },
  FAIL: { from: ["REQUESTED"], to: "FAILED" },
  REPORT_EFFECTIVE: { from: ["REQUESTED", "QUEUED"], to: "EFFECTIVE" },
  LAPSE: { from: ["EFFECTIVE", "QUEUED"], to: "LAPSED" },
  RELEASE: { from: MEASURE_STATUSES, to: "RELEASED" },
} as const;
export type MeasureEvent = keyof typeof MEASURE_TRANSITIONS;

export const measureLifecycle = lifecycle<MeasureStatus, MeasureEvent>(MEASURE_STATUSES, MEASURE_TRANSITIONS);

/** The events that answer an order; only these can free a release held until the order is answered (heldReleases.ts). */
export const ORDER_ANSWERS = ["TAKE_EFFECT", "QUEUE", "REFUSE", "FAIL"] as const satisfies readonly MeasureEvent[];

/** Held at the agency, effective or queued: what lapses on its last day, and what a release has something to release at the agency. */
export const HELD_AT_AGENCY = measureLifecycle.statusesFrom("LAPSE");
