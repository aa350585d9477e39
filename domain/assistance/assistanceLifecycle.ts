/**
 * The life of a request for police assistance (公安协助执行). The police's answer moves only an assistance still
 * REQUESTED: their report may overtake their reply (a callback racing the SOAP answer), and "accepted" must not
 * undo "done".
 *
 *   REQUESTED ──MISS_DEADLINE──▶ UNCONFIRMED (no answer by the deadline: the hub keeps asking the police)
 *   REQUESTED, UNCONFIRMED ──ACCEPT / REFUSE / FAIL──▶ ACCEPTED / REFUSED / FAILED (the police's answer, or none)
 *   REQUESTED, UNCONFIRMED, ACCEPTED ──CARRY_OUT / FALL_THROUGH──▶ DONE / UNSUCCESSFUL (the police's report)
 *   DONE ──LIFT──▶ LIFTED (an exit restriction, once its lifting is done)
 */
import { lifecycle } from "../lifecycle.js";

export const ASSISTANCE_STATUSES = ["REQUESTED", "UNCONFIRMED", "ACCEPTED", "DONE", "UNSUCCESSFUL", "REFUSED", "FAILED", "LIFTED"] as const;
export type AssistanceStatus = (typeof ASSISTANCE_STATUSES)[number];

export const ASSISTANCE_TRANSITIONS = {
  MISS_DEADLINE: { from: ["REQUESTED"], to: "UNCONFIRMED" },
  ACCEPT: { from: ["REQUESTED", "UNCONFIRMED"], to: "ACCEPTED" },
  REFUSE: { from: ["REQUESTED", "UNCONFIRMED"], to: "REFUSED" },
  FAIL: { from: ["REQUESTED", "UNCONFIRMED"], to: "FAILED" },
  CARRY_OUT: { from: ["REQUESTED", "UNCONFIRMED", "ACCEPTED"], to: "DONE" },
  FALL_THROUGH: { from: ["REQUESTED", "UNCONFIRMED", "ACCEPTED"], to: "UNSUCCESSFUL" },
  LIFT: { from: ["DONE"], to: "LIFTED" },
} as const;
export type AssistanceEvent = keyof typeof ASSISTANCE_TRANSITIONS;

export const assistanceLifecycle = lifecycle<AssistanceStatus, AssistanceEvent>(ASSISTANCE_STATUSES, ASSISTANCE_TRANSITIONS);

/** The event of a police report's outcome. */
export const REPORTED: Readonly<Record<"DONE" | "UNSUCCESSFUL", AssistanceEvent>> = { DONE: "CARRY_OUT", UNSUCCESSFUL: "FALL_THROUGH" };
