/**
 * A delegated task as it travels between hubs (gateway/peering): one message when it is delegated, with
 * the task as the delegating hub recorded it and its documents, then one per step, each step decided on
 * the target court's hub (domain/delegation/stepOrdering.ts). The delegating court's withdrawal goes the
 * other way as a request, answered by the step (WITHDRAW) or by a refusal with the reason. The
 * conversation is the task's id, so each hub's messages about one task arrive in the order it recorded
 * them. Every field is read back here as untrusted input: a peer's signature says which hub sent a
 * message, not that it is right.
 */
import { parseCaseNumber } from "../../domain/caseNumber.js";
import { TASK_ACTIONS, type TaskAction } from "../../domain/delegation/taskLifecycle.js";
import { DELEGATED_TASK_KINDS, type DelegatedTaskKind } from "../../domain/delegation/taskKinds.js";
import { HubError } from "../../gateway/errors.js";
import { PeerRefusal } from "../peering/peerRefusal.js";
import type { TaskDocument, DocumentInput } from "./taskDocuments.js";
import type { TaskResultsInput } from "./taskResults.js";

export const TASK_DELEGATED = "DELEGATED_TASK";
export const TASK_STEP = "DELEGATED_TASK_STEP";
export const TASK_WITHDRAWAL_REQUEST = "DELEGATED_TASK_WITHDRAWAL_REQUEST";
export const TASK_WITHDRAWAL_REFUSED = "DELEGATED_TASK_WITHDRAWAL_REFUSED";

/** The message types a hub's peers must list in `accepts` for delegation across hubs. */
export const TASK_MESSAGE_TYPES = [TASK_DELEGATED, TASK_STEP, TASK_WITHDRAWAL_REQUEST, TASK_WITHDRAWAL_REFUSED] as const;
export type TaskMessageType = (typeof TASK_MESSAGE_TYPES)[number];

/** A document whole, with the SM3 the sending hub computed, checked again on arrival. */
export type SentDocument = DocumentInput & { sm3: string };

export interface TaskDelegatedBody {
  caseNumber: string;
  debtor: { kind: "PERSON" | "ORGANISATION"; idNumber: string; name: string };
  kind: DelegatedTaskKind;
  instructions: string;
  delegatingCourt: string;
  targetCourt: string;
  divisionCode: string | null;
  delegatedBy: string;
  sentAt: string;
  documents: SentDocument[];
}

export interface TaskStepBody {
  /** The step's number on the sending hub; the copy must give it the same one. */
  seq: number;
  action: TaskAction;
  actorCourt: string;
  actorOfficer: string;
  reason: string | null;
  at: string;
  results: TaskResultsInput | null;
  documents: SentDocument[];
}

/** The delegating court asks the target court's hub to withdraw the task. */
export interface WithdrawalRequestBody {
  actorCourt: string;
  actorOfficer: string;
  reason: string | null;
  requestedAt: string;
}

/** The target court's hub did not withdraw the task: the request it answers, and why. */
export interface WithdrawalRefusedBody extends WithdrawalRequestBody {
  refusedAt: string;
  /** The lifecycle's refusal code (DELEGATION_TRANSITION_NOT_ALLOWED, …) and its sentence. */
  code: string;
  refusal: string;
}

export function sentDocuments(documents: TaskDocument[]): SentDocument[] {
  return documents.map(({ name, sm3, content }) => ({ name, sm3, contentBase64: content.toString("base64") }));
}

/** The documents as read again on arrival must be the ones the sender digested. */
export function checkArrivedDocuments(sent: SentDocument[], read: TaskDocument[]): void {
  read.forEach((document, index) => {
    if (document.sm3 !== sent[index].sm3)
      throw new PeerRefusal("REJECTED", `document ${document.name} does not match the SM3 digest it was sent with`);
  });
}

const isText = (value: unknown, max = 10_000): value is string =>
  typeof value === "string" && value.trim().length > 0 && value.length <= max;
const isTime = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value));

function isDocuments(value: unknown): value is SentDocument[] {
  return Array.isArray(value) && value.every((d) => d && isText(d.name, 200) && typeof d.contentBase64 === "string" && isText(d.sm3, 64));
}

export function readTaskDelegated(body: unknown): TaskDelegatedBody {
  const b = body as Partial<TaskDelegatedBody> | null;
  const wellFormed =
    !!b &&
    isText(b.caseNumber, 100) &&
    !!b.debtor &&
    (b.debtor.kind === "PERSON" || b.debtor.kind === "ORGANISATION") &&
    isText(b.debtor.idNumber, 18) &&
    isText(b.debtor.name, 200) &&
    DELEGATED_TASK_KINDS.includes(b.kind as DelegatedTaskKind) &&
    isText(b.instructions) &&
    isText(b.delegatingCourt, 20) &&
    isText(b.targetCourt, 20) &&
    (b.divisionCode === null || isText(b.divisionCode, 6)) &&
    isText(b.delegatedBy, 200) &&
    isTime(b.sentAt) &&
    isDocuments(b.documents);
  if (!wellFormed) throw new PeerRefusal("REJECTED", "not a delegated task this hub can read");
  const caseNumber = parseCaseNumber(b.caseNumber!);
  if (!caseNumber.ok || caseNumber.value.courtCode !== b.delegatingCourt) {
    throw new PeerRefusal("REJECTED", `${b.caseNumber} is not a case number of the delegating court ${b.delegatingCourt}`);
  }
  return b as TaskDelegatedBody;
}

export function readTaskStep(body: unknown): TaskStepBody {
  const b = body as Partial<TaskStepBody> | null;
  const wellFormed =
    !!b &&
    Number.isSafeInteger(b.seq) &&
    TASK_ACTIONS.includes(b.action as TaskAction) &&
    isText(b.actorCourt, 20) &&
    isText(b.actorOfficer, 200) &&
    (b.reason === null || typeof b.reason === "string") &&
    isTime(b.at) &&
    (b.results === null ||
      (!!b.results && typeof b.results.summary === "string" && (b.results.assets === undefined || Array.isArray(b.results.assets)))) &&
    isDocuments(b.documents);
  if (!wellFormed) throw new PeerRefusal("REJECTED", "not a step of a delegated task this hub can read");
  return b as TaskStepBody;
}

function isWithdrawalRequest(b: Partial<WithdrawalRequestBody> | null): boolean {
  return !!b && isText(b.actorCourt, 20) && isText(b.actorOfficer, 200) && (b.reason === null || isText(b.reason)) && isTime(b.requestedAt);
}

export function readWithdrawalRequest(body: unknown): WithdrawalRequestBody {
  if (!isWithdrawalRequest(body as Partial<WithdrawalRequestBody> | null))
    throw new PeerRefusal("REJECTED", "not a withdrawal request this hub can read");
  return body as WithdrawalRequestBody;
}

export function readWithdrawalRefused(body: unknown): WithdrawalRefusedBody {
  const b = body as Partial<WithdrawalRefusedBody> | null;
  if (!isWithdrawalRequest(b) || !isTime(b!.refusedAt) || !isText(b!.code, 100) || !isText(b!.refusal)) {
    throw new PeerRefusal("REJECTED", "not a refused withdrawal this hub can read");
  }
  return b as WithdrawalRefusedBody;
}

/**
 * Runs the service on a peer's message: what it refuses with a typed error (a guard, bad input, a task
 * it does not know) it would refuse on every resend, so the message is refused for good.
 */
export async function refusedForGood<T>(apply: () => Promise<T>): Promise<T> {
  try {
    return await apply();
  } catch (error) {
    if (error instanceof HubError) throw new PeerRefusal("REJECTED", error.message);
    throw error;
  }
}
