/**
 * 银行 (the 总对总 bank interface): asynchronous, HMAC-SM3 signed both ways.
 * `POST {base}/ckjk/v1/inquiries` and `POST {base}/ckjk/v1/controls` (signed
 * body, X-Request-Id) are carried out at once and acknowledged 202 with a BK-
 * ticket; once the processing time has passed the answer is POSTed, signed, to
 * the request's callbackUrl. `GET {base}/ckjk/v1/requests/{requestId}` (signed
 * over the id) answers where a request stands (PROCESSING, or DONE with the
 * answer), or 404 when the bank never received it: the fallback poll for a lost
 * callback, and the hub's question before any resend. The same request sent
 * again is answered the same way, and never executed twice.
 *
 * The bank keeps real state per account, the balance and freezes by amount, on the sandbox's ledger
 * (balanceLedger.ts): freezes queue (轮候), deductions come out of a freeze, releases and lapses let queued
 * freezes take effect, reported TOOK_EFFECT, signed, to the callbackUrl of the freeze request.
 * Freezes, queued ones included, show in every later inquiry, by any court.
 */
import { parseYuan } from "../../domain/measures/yuan.js";
import { verifyHmacSm3 } from "../../connectors/signature.js";
import {
  jsonObjectOf,
  jsonReply,
  reachableOn,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Lookup,
  type Route,
} from "../agencyServer.js";
import { SignedCallbackSender } from "../callbacks.js";
import { BalanceLedger, type LedgerAccount, type LedgerRequest } from "../balanceLedger.js";
import { httpUrlOf, isDate, objectOf, type RegistryOptions } from "../controls.js";
import { debtorProfile, type DepositAccount } from "../debtorProfile.js";
import { declaredKindOf, SUBJECT_TYPES, subjectRefusal, type Subject } from "../idNumbers.js";
import { Register } from "../register.js";
import { TicketBook } from "../tickets.js";

type Account = Omit<DepositAccount, "balance"> & LedgerAccount;

type Result = Record<string, unknown> & { status: string };

interface ControlRequest extends LedgerRequest {
  kind: "CONTROL";
  accountNo: string;
  subject: Subject;
}

const SUBJECT_WORDS = { name: "户名", type: "主体类型" };

export class Bank implements Agency {
  private readonly register = new Register<Account>((idNumber) => debtorProfile(idNumber).accounts.map(BalanceLedger.open));
  /** Every request executed, by X-Request-Id: its ticket, which holds the answer until the processing time has passed. */
  private readonly requests = new Map<string, string>();
  private readonly tickets = new TicketBook<Result>("BK");
  private readonly callbacks: SignedCallbackSender;
  private readonly ledger: BalanceLedger;

  readonly routes: readonly Route[] = [
    { method: "POST", path: "/ckjk/v1/inquiries", handle: (request) => this.submit(request, "INQUIRY") },
    { method: "POST", path: "/ckjk/v1/controls", handle: (request) => this.submit(request, "CONTROL") },
    { method: "GET", path: "/ckjk/v1/requests/:requestId", handle: (request) => this.lookUp(request) },
  ];

  constructor(
    private readonly environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.callbacks = new SignedCallbackSender(environment.stats, secret);
    this.ledger = new BalanceLedger({
      now: options.now ?? (() => new Date()),
      reports: this.callbacks,
      tookEffect: (freeze) => ({ type: "TOOK_EFFECT", ...freeze }),
    });
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { state: "ERROR", message });
  }

  reset(): void {
    this.callbacks.reset();
    this.register.clear();
    this.requests.clear();
    this.tickets.clear();
    this.ledger.reset();
  }

  private submit(request: AgencyRequest, kind: "INQUIRY" | "CONTROL"): AgencyReply {
    if (!this.signedOver(request.body, request)) return this.errorReply(401, "签名验证失败");
    const body = jsonObjectOf(request);
    if (!body) return this.errorReply(400, "body is not a JSON object");
    const key = textOf(request.headers["x-request-id"]);
    if (!key) return this.errorReply(400, "X-Request-Id header is required");
    if (body.requestId !== key) return this.errorReply(400, "requestId must equal the X-Request-Id header");
    const known = this.requests.get(key);
    if (known) {
      this.environment.stats.recordSubmission(key, true);
      return this.standing(key, known);
    }
    const parsed = kind === "INQUIRY" ? this.parseInquiry(body) : this.parseControl(body, key);
    if (typeof parsed === "string") return this.errorReply(400, parsed);
    this.environment.stats.recordSubmission(key, false);
    const result = parsed.kind === "CONTROL" ? this.control(parsed, request.channel) : this.inquire(parsed.subject, request.channel);
    const processingMs = this.environment.knobs.processingMs;
    const ticket = this.tickets.issue(result, processingMs);
    this.requests.set(key, ticket);
    const type = kind === "INQUIRY" ? "INQUIRY_RESULT" : "CONTROL_RESULT";
    this.callbacks.send(parsed.callbackUrl, JSON.stringify({ type, requestId: key, ticket, result }), processingMs);
    return jsonReply(202, { state: "PROCESSING", requestId: key, ticket, retryAfterMs: processingMs });
  }

  /** Signed over the request id, as the whole body is for a submission; inquiries and control requests alike. */
  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    const { requestId } = request.params;
    if (!this.signedOver(requestId, request)) return this.errorReply(401, "签名验证失败");
    const ticket = this.requests.get(requestId);
    return {
      lookupKey: requestId,
      known: ticket === undefined ? undefined : this.standing(requestId, ticket),
      unknown: jsonReply(404, { state: "UNKNOWN", requestId, message: "未收到该请求" }),
    };
  }

  private signedOver(data: string, request: AgencyRequest): boolean {
    const signature = request.headers["x-signature"];
    return verifyHmacSm3(this.secret, data, typeof signature === "string" ? signature : undefined);
  }

  private standing(key: string, ticket: string): AgencyReply {
    const status = this.tickets.status(ticket)!;
    return jsonReply(
      200,
      status.ready
        ? { state: "DONE", requestId: key, ticket, result: status.answer }
        : { state: "PROCESSING", requestId: key, ticket, retryAfterMs: Math.ceil(status.remainingMs) },
    );
  }

  private parseSubject(body: Record<string, unknown>): Subject | string {
    if (!textOf(body.caseNo) || !textOf(body.court)) return "案号和法院代码不能为空";
    const subject = objectOf(body.subject);
    if (!subject || !(subject.type === "PERSON" || subject.type === "ORG")) return "subject must be {type: PERSON|ORG, idNo, name}";
    return {
      idNumber: textOf(subject.idNo) ?? "",
      name: textOf(subject.name) ?? "",
      declaredKind: declaredKindOf(SUBJECT_TYPES, subject.type),
    };
  }

  private parseInquiry(body: Record<string, unknown>): { kind: "INQUIRY"; subject: Subject; callbackUrl: string } | string {
    const subject = this.parseSubject(body);
    if (typeof subject === "string") return subject;
    const callbackUrl = httpUrlOf(body.callbackUrl);
    return callbackUrl ? { kind: "INQUIRY", subject, callbackUrl } : "callbackUrl must be an http(s) URL";
  }

  private parseControl(body: Record<string, unknown>, key: string): ControlRequest | string {
    const subject = this.parseSubject(body);
    if (typeof subject === "string") return subject;
    const actions = ["FREEZE", "DEDUCT", "RELEASE", "RENEW"] as const;
    const action = actions.find((a) => a === body.action);
    if (!action) return `action must be one of ${actions.join("|")}`;
    const accountNo = textOf(body.accountNo);
    if (!accountNo) return "accountNo is required";
    let amount: bigint | undefined;
    if (body.amount != null) {
      const parsed = typeof body.amount === "string" ? parseYuan(body.amount) : undefined;
      if (!parsed?.ok || parsed.cents === 0n) return 'amount must be a positive amount in yuan, e.g. "5000.00"';
      amount = parsed.cents;
    }
    for (const field of ["from", "to"] as const)
      if (body[field] != null && !isDate(body[field])) return `${field} must be a date YYYY-MM-DD`;
    const measureRef = textOf(body.measureRef);
    if (action === "FREEZE" && (amount === undefined || body.from == null || body.to == null)) return "FREEZE requires amount, from and to";
    if (action === "DEDUCT" && (amount === undefined || !measureRef))
      return "DEDUCT requires amount and measureRef, the freeze to deduct from";
    if ((action === "RELEASE" || action === "RENEW") && !measureRef) return `${action} requires measureRef, the requestId of the freeze`;
    if (action === "RENEW" && body.to == null) return "RENEW requires to, the new last day";
    const notice = objectOf(body.notice);
    if (!notice || !textOf(notice.number) || !isDate(notice.date)) return "notice must be {number, date YYYY-MM-DD}";
    const decision = objectOf(body.decision);
    if (
      !decision ||
      !textOf(decision.number) ||
      !isDate(decision.date) ||
      !Array.isArray(decision.judges) ||
      decision.judges.length === 0
    ) {
      return "decision must be {number, date YYYY-MM-DD, judges: [name, …]}";
    }
    const callbackUrl = httpUrlOf(body.callbackUrl);
    if (!callbackUrl) return "callbackUrl must be an http(s) URL";
    return {
      kind: "CONTROL",
      key,
      action,
      court: textOf(body.court)!,
      accountNo,
      subject,
      amount,
      from: (body.from ?? undefined) as string | undefined,
      to: (body.to ?? undefined) as string | undefined,
      measureRef,
      notice: textOf(notice.number)!,
      callbackUrl,
    };
  }

  private inquire(subject: Subject, channel: Channel): Result {
    const refusal = subjectRefusal(subject, SUBJECT_WORDS);
    if (refusal) return { status: "REJECTED", reason: refusal };
    const accounts = this.register.reachable(subject.idNumber, channel).map((account) => ({
      accountNo: account.accountNumber,
      bank: account.bank,
      branch: account.branch,
      currency: account.currency,
      ...this.ledger.view(account),
    }));
    return { status: "DONE", accounts };
  }

  private control(request: ControlRequest, channel: Channel): Result {
    const reject = (reason: string): Result => ({ status: "REJECTED", reason });
    const refusal = subjectRefusal(request.subject, SUBJECT_WORDS);
    if (refusal) return reject(refusal);
    const account = this.register.of(request.subject.idNumber).find((a) => a.accountNumber === request.accountNo);
    if (!account) return reject("该账户不属于被执行人");
    if (!reachableOn(channel, account.divisionCode)) return reject("该账户不属本行管辖");
    return this.ledger.act(account, request);
  }
}
