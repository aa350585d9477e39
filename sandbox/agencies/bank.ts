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
 * The bank keeps real state per account: the balance, and freezes by amount.
 * - A freeze takes effect when the balance not yet frozen covers it, and nobody
 *   queues ahead; otherwise it queues (轮候) in order of registration.
 * - A deduction (划拨) takes money out of a freeze of the same court: the balance
 *   and that freeze's amount both fall, so what other freezes hold is untouched.
 * - A release, or a lapse at the end of the period (查扣冻规定 2020 art. 27), frees
 *   its amount; queued freezes then take effect in order while the free balance
 *   covers the first of them (art. 26), each reported TOOK_EFFECT, signed, to the
 *   callbackUrl of its freeze request, with its period counted from that day
 *   (domain/measures/queuedPeriod.ts).
 * Freezes, queued ones included, show in every later inquiry, by any court.
 */
import { todayInChina } from "../../domain/calendarDate.js";
import { hasLapsed } from "../../domain/measures/lapse.js";
import { checkPeriod } from "../../domain/measures/maximumPeriod.js";
import { periodOnTakingEffect } from "../../domain/measures/queuedPeriod.js";
import { checkRenewal } from "../../domain/measures/renewal.js";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
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
import { chinaTime, httpUrlOf, isDate, objectOf, type RegistryOptions } from "../controls.js";
import { debtorProfile, type DepositAccount } from "../debtorProfile.js";
import { declaredKindOf, SUBJECT_TYPES, subjectRefusal, type Subject } from "../idNumbers.js";
import { Register } from "../register.js";
import { TicketBook } from "../tickets.js";

type FreezeStatus = "EFFECTIVE" | "QUEUED" | "RELEASED" | "LAPSED";

interface Freeze {
  readonly ref: string;
  readonly accountNo: string;
  readonly court: string;
  readonly notice: string;
  /** Still frozen, cents: the amount ordered less what was deducted. */
  amount: bigint;
  from: string;
  to: string;
  status: FreezeStatus;
  freezeNo: string | undefined;
  releasedAt: string | undefined;
  readonly callbackUrl: string;
}

interface Account extends Omit<DepositAccount, "balance"> {
  /** Cents. */
  balance: bigint;
  /** In order of registration. */
  freezes: Freeze[];
}

type Result = Record<string, unknown> & { status: string };

interface ControlRequest {
  kind: "CONTROL";
  key: string;
  action: "FREEZE" | "DEDUCT" | "RELEASE" | "RENEW";
  court: string;
  accountNo: string;
  subject: Subject;
  amount: bigint | undefined;
  from: string | undefined;
  to: string | undefined;
  measureRef: string | undefined;
  notice: string;
  callbackUrl: string;
}

const SUBJECT_WORDS = { name: "户名", type: "主体类型" };

const isLive = (freeze: Freeze) => freeze.status === "EFFECTIVE" || freeze.status === "QUEUED";

export class Bank implements Agency {
  private readonly register = new Register<Account>((idNumber) =>
    debtorProfile(idNumber).accounts.map((account) => ({ ...account, balance: cents(account.balance), freezes: [] })),
  );
  /** Every request executed, by X-Request-Id: its ticket, which holds the answer until the processing time has passed. */
  private readonly requests = new Map<string, string>();
  private readonly tickets = new TicketBook<Result>("BK");
  private readonly freezes = new Map<string, Freeze>();
  private readonly callbacks: SignedCallbackSender;
  private readonly now: () => Date;
  private sequence = 0;

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
    this.now = options.now ?? (() => new Date());
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { state: "ERROR", message });
  }

  reset(): void {
    this.callbacks.reset();
    this.register.clear();
    this.requests.clear();
    this.tickets.clear();
    this.freezes.clear();
    this.sequence = 0;
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
    const accounts = this.register.reachable(subject.idNumber, channel).map((account) => {
      this.advance(account);
      const live = account.freezes.filter(isLive);
      return {
        accountNo: account.accountNumber,
        bank: account.bank,
        branch: account.branch,
        currency: account.currency,
        balance: formatYuan(account.balance),
        frozen: formatYuan(frozenOn(account)),
        freezes: live.map((f, index) => ({
          court: f.court,
          notice: f.notice,
          amount: formatYuan(f.amount),
          since: f.from,
          until: f.to,
          rank: rankOf(live, index),
        })),
      };
    });
    return { status: "DONE", accounts };
  }

  private control(request: ControlRequest, channel: Channel): Result {
    const reject = (reason: string): Result => ({ status: "REJECTED", reason });
    const refusal = subjectRefusal(request.subject, SUBJECT_WORDS);
    if (refusal) return reject(refusal);
    const account = this.register.of(request.subject.idNumber).find((a) => a.accountNumber === request.accountNo);
    if (!account) return reject("该账户不属于被执行人");
    if (!reachableOn(channel, account.divisionCode)) return reject("该账户不属本行管辖");
    this.advance(account);
    if (request.action === "FREEZE") return this.freeze(request, account, reject);

    const freeze = this.freezes.get(request.measureRef!);
    if (!freeze || freeze.accountNo !== account.accountNumber) return reject(`未找到该账户上的冻结 ${request.measureRef}`);
    if (freeze.court !== request.court) return reject(`只有原冻结法院（${freeze.court}）可以扣划、解除或续冻`);
    if (request.action === "DEDUCT") return this.deduct(request.amount!, freeze, account, reject);
    if (request.action === "RELEASE") return this.release(freeze, account, reject);
    return this.renew(request.to!, freeze, reject);
  }

  private freeze(request: ControlRequest, account: Account, reject: (reason: string) => Result): Result {
    const [from, to] = [request.from!, request.to!];
    const period = checkPeriod("FREEZE", "DEPOSIT", from, to);
    if (!period.ok) {
      if (period.code === "PERIOD_TOO_LONG")
        return reject(
          `冻结存款期限不得超过${period.maximumMonths}个月（民诉法解释第四百八十五条）：自${from}起最迟至${period.latestEndDate}`,
        );
      return reject(period.reason);
    }
    if (hasLapsed(to, this.now())) return reject(`冻结期限已于${to}届满`);
    const freeze: Freeze = {
      ref: request.key,
      accountNo: account.accountNumber,
      court: request.court,
      notice: request.notice,
      amount: request.amount!,
      from,
      to,
      status: "QUEUED",
      freezeNo: undefined,
      releasedAt: undefined,
      callbackUrl: request.callbackUrl,
    };
    account.freezes.push(freeze);
    this.freezes.set(freeze.ref, freeze);
    this.advance(account, freeze);
    if (freeze.status === "EFFECTIVE") {
      return { status: "FROZEN", freezeNo: freeze.freezeNo, effectiveFrom: chinaTime(this.now()), amount: formatYuan(freeze.amount) };
    }
    const live = account.freezes.filter(isLive);
    return { status: "QUEUED", rank: rankOf(live, live.indexOf(freeze)) };
  }

  private deduct(amount: bigint, freeze: Freeze, account: Account, reject: (reason: string) => Result): Result {
    if (freeze.status !== "EFFECTIVE") return reject(`冻结${freeze.status === "QUEUED" ? "尚在轮候" : "已失效"}，不能扣划`);
    if (amount > freeze.amount) return reject(`扣划金额${formatYuan(amount)}元超过冻结余额${formatYuan(freeze.amount)}元`);
    account.balance -= amount;
    freeze.amount -= amount;
    const now = this.now();
    return {
      status: "DEDUCTED",
      transferNo: this.number("划", now),
      deductedAt: chinaTime(now),
      amount: formatYuan(amount),
      remainingFrozen: formatYuan(freeze.amount),
    };
  }

  private release(freeze: Freeze, account: Account, reject: (reason: string) => Result): Result {
    if (freeze.status === "LAPSED") return reject(`冻结已于${freeze.to}届满失效，无需解除`);
    if (freeze.status !== "RELEASED") {
      freeze.status = "RELEASED";
      freeze.releasedAt = chinaTime(this.now());
      this.advance(account);
    }
    return { status: "RELEASED", releasedAt: freeze.releasedAt };
  }

  private renew(to: string, freeze: Freeze, reject: (reason: string) => Result): Result {
    if (!isLive(freeze)) return reject(`冻结已${freeze.status === "RELEASED" ? "解除" : "届满失效"}，不能续冻`);
    const renewal = checkRenewal({ kind: "FREEZE", category: "DEPOSIT", expiresOn: freeze.to }, todayInChina(this.now()), to);
    if (!renewal.ok) return reject(renewal.reason);
    freeze.to = to;
    return { status: "RENEWED", until: to };
  }

  /**
   * Lapse what has run out, then let queued freezes take effect in order while the balance not
   * frozen covers the first of them. `answered` is the freeze being ordered, answered in its own
   * reply rather than reported.
   */
  private advance(account: Account, answered?: Freeze): void {
    const now = this.now();
    for (const freeze of account.freezes) if (isLive(freeze) && hasLapsed(freeze.to, now)) freeze.status = "LAPSED";
    for (const next of account.freezes.filter((f) => f.status === "QUEUED")) {
      if (account.balance - frozenOn(account) < next.amount) break;
      next.status = "EFFECTIVE";
      next.freezeNo = this.number("冻", now);
      if (next === answered) continue;
      const period = periodOnTakingEffect(
        { kind: "FREEZE", category: "DEPOSIT", startsOn: next.from, expiresOn: next.to },
        todayInChina(now),
      );
      if (period.ok) [next.from, next.to] = [period.startsOn, period.expiresOn];
      const report = { type: "TOOK_EFFECT", measureRef: next.ref, effectiveFrom: chinaTime(now), freezeNo: next.freezeNo };
      this.callbacks.send(next.callbackUrl, JSON.stringify(report));
    }
  }

  private number(kind: "冻" | "划", now: Date): string {
    this.sequence++;
    return `${kind}${todayInChina(now).replaceAll("-", "")}${String(this.sequence).padStart(6, "0")}`;
  }
}

function frozenOn(account: Account): bigint {
  return account.freezes.reduce((sum, f) => (f.status === "EFFECTIVE" ? sum + f.amount : sum), 0n);
}

/** Freezes in effect rank 1; queued ones 2, 3, … in order of registration. */
function rankOf(live: readonly Freeze[], index: number): number {
  return live[index].status === "EFFECTIVE" ? 1 : 1 + live.slice(0, index + 1).filter((f) => f.status === "QUEUED").length;
}

function cents(amount: string): bigint {
  const parsed = parseYuan(amount);
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return parsed.cents;
}
