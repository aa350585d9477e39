/**
 * The life of an enforcement case. Only the case's own court moves it (caseAuthority.ts), and 终本 only once its
 * conditions are recorded (conclusionConditions.ts).
 *
 *   IN_ENFORCEMENT ──SUSPEND──▶ SUSPENDED (中止: 民事诉讼法 2023 art. 267)
 *   SUSPENDED ──CONTINUE──▶ IN_ENFORCEMENT (the cause of 中止 is gone, the same case goes on: 民事诉讼法 2023 art. 267 para. 2)
 *   IN_ENFORCEMENT ──CONCLUDE──▶ CONCLUDED (终结本次执行程序: 法〔2016〕373号 art. 1)
 *   IN_ENFORCEMENT, SUSPENDED, CONCLUDED ──TERMINATE──▶ TERMINATED (终结执行: 民事诉讼法 2023 art. 268)
 *   IN_ENFORCEMENT ──CLOSE──▶ CLOSED (执行完毕: 法发〔2014〕26号 art. 15)
 *   CONCLUDED, TERMINATED ──RESUME──▶ SUPERSEDED (恢复执行 as a new 执恢 case that carries the case on:
 *     法发〔2014〕26号 art. 6 items 3 and 5, 法〔2016〕373号 art. 9)
 */
import { lifecycle } from "../lifecycle.js";

export const CASE_STATUSES = ["IN_ENFORCEMENT", "SUSPENDED", "CONCLUDED", "TERMINATED", "CLOSED", "SUPERSEDED"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_TRANSITIONS = {
  SUSPEND: { from: ["IN_ENFORCEMENT"], to: "SUSPENDED" },
  CONTINUE: { from: ["SUSPENDED"], to: "IN_ENFORCEMENT" },
  CONCLUDE: { from: ["IN_ENFORCEMENT"], to: "CONCLUDED" },
  TERMINATE: { from: ["IN_ENFORCEMENT", "SUSPENDED", "CONCLUDED"], to: "TERMINATED" },
  CLOSE: { from: ["IN_ENFORCEMENT"], to: "CLOSED" },
  RESUME: { from: ["CONCLUDED", "TERMINATED"], to: "SUPERSEDED" },
} as const;
export type CaseEvent = keyof typeof CASE_TRANSITIONS;

export const caseLifecycle = lifecycle<CaseStatus, CaseEvent>(CASE_STATUSES, CASE_TRANSITIONS);

/** What a step is called in the courts' own words, for messages and the history. */
export const CASE_STATUS_NAMES: Readonly<Record<CaseStatus, string>> = {
  IN_ENFORCEMENT: "执行中",
  SUSPENDED: "中止执行",
  CONCLUDED: "终结本次执行程序",
  TERMINATED: "终结执行",
  CLOSED: "执行完毕",
  SUPERSEDED: "已恢复执行（执恢）",
};
