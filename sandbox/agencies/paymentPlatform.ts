/**
 * 网络支付机构 (支付宝, 财付通, …) judicial interface: REST JSON in snake_case, amounts in whole fen, every request
 * signed in `Authorization: SM3-HMAC ts=…,nonce=…,sig=…` over "METHOD\npath\nts\nnonce\nbody" (a signature more
 * than five minutes off the institution's clock is refused, as a replay).
 * `POST {base}/judicial/v3/balance-queries` answers at once with the balances the holder keeps at the institution;
 * `POST {base}/judicial/v3/orders` freezes, deducts (划拨), unfreezes and extends, answering at once; the same id sent
 * again is answered as the first time, and `GET …/balance-queries/{query_id}` and `GET …/orders/{order_id}` answer
 * again, or 404 NOT_FOUND. The balances are kept on the sandbox's ledger (balanceLedger.ts), as the bank keeps its
 * deposits: a queued freeze that takes effect is notified (FREEZE.EFFECTIVE) to its notify_url, signed in
 * X-Pay-Signature.
 */
import { notificationSignature, signatureParts } from "../../connectors/payment-platform/wire.js";
import { verifyHmacSm3 } from "../../connectors/signature.js";
import { parseYuan } from "../../domain/measures/yuan.js";
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
  type Submission,
} from "../agencyServer.js";
import { BalanceLedger, type LedgerAccount, type LedgerRequest } from "../balanceLedger.js";
import { SignedCallbackSender } from "../callbacks.js";
import { httpUrlOf, isDate, objectOf, type RegistryOptions } from "../controls.js";
import { debtorProfile, type PaymentAccount } from "../debtorProfile.js";
import { declaredKindOf, subjectRefusal, type Subject } from "../idNumbers.js";
import { Register } from "../register.js";

type Account = Omit<PaymentAccount, "balance"> & LedgerAccount;

const ORDER_ACTIONS = { FREEZE: "FREEZE", DEDUCT: "DEDUCT", UNFREEZE: "RELEASE", EXTEND: "RENEW" } as const;
const WORDS = { name: "holder.name", type: "holder.id_type" };
/** How far a request's timestamp may be from the institution's clock. */
const SIGNATURE_WINDOW_MS = 5 * 60_000;

interface Order extends LedgerRequest {
  accountId: string;
  holder: Subject;
}

export class PaymentPlatform implements Agency {
  private readonly register = new Register<Account>((idNumber) => debtorProfile(idNumber).paymentAccounts.map(BalanceLedger.open));
  private readonly ledger: BalanceLedger;
  private readonly notifications: SignedCallbackSender;
  private readonly now: () => Date;

  readonly routes: readonly Route[] = [
    { method: "POST", path: "/judicial/v3/balance-queries", handle: (request) => this.query(request) },
    { method: "GET", path: "/judicial/v3/balance-queries/:id", handle: (request) => this.lookUp(request) },
    { method: "POST", path: "/judicial/v3/orders", handle: (request) => this.order(request) },
    { method: "GET", path: "/judicial/v3/orders/:id", handle: (request) => this.lookUp(request) },
  ];

  constructor(
    environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.notifications = new SignedCallbackSender(environment.stats, secret, (body) => ({
      "x-pay-signature": notificationSignature(secret, body),
    }));
    this.ledger = new BalanceLedger({
      now: this.now,
      reports: this.notifications,
      tookEffect: (freeze) => ({
        event_type: "FREEZE.EFFECTIVE",
        order_id: freeze.measureRef,
        freeze_no: freeze.freezeNo,
        effective_time: freeze.effectiveFrom,
      }),
    });
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { code: "SYSTEM_ERROR", message });
  }

  reset(): void {
    this.notifications.reset();
    this.register.clear();
    this.ledger.reset();
  }

  /** The request's signature, checked over what the institution received; the refusal when it fails. */
  private unauthenticated(request: AgencyRequest): AgencyReply | undefined {
    const header = request.headers.authorization;
    const parts = signatureParts(typeof header === "string" ? header : undefined);
    const signed = parts && `${request.method}\n${request.path}\n${parts.ts}\n${parts.nonce}\n${request.body}`;
    if (!parts || !signed || !verifyHmacSm3(this.secret, signed, parts.sig)) return jsonReply(401, { code: "INVALID_SIGNATURE" });
    // Against the real time, as the hub signs: a test's pinned clock (for lapses) is not the wall clock the signer reads.
    if (Math.abs(Number(parts.ts) - Date.now()) > SIGNATURE_WINDOW_MS) return jsonReply(401, { code: "TIMESTAMP_EXPIRED" });
    return undefined;
  }

  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    const refused = this.unauthenticated(request);
    if (refused) return refused;
    return { lookupKey: request.params.id, unknown: jsonReply(404, { code: "NOT_FOUND", id: request.params.id }) };
  }

  private query(request: AgencyRequest): AgencyReply | Submission {
    const refused = this.unauthenticated(request);
    if (refused) return refused;
    const body = jsonObjectOf(request);
    const id = textOf(body?.query_id);
    const holder = holderOf(body?.holder);
    if (!body || !id || !holder || !textOf(body.case_no) || !textOf(body.court_code))
      return jsonReply(400, { code: "INVALID_PARAMETER", message: "query_id, case_no, court_code and holder are required" });
    return { idempotencyKey: id, execute: () => jsonReply(200, this.balances(id, holder, request.channel)) };
  }

  private balances(id: string, holder: Subject, channel: Channel): object {
    const refusal = subjectRefusal(holder, WORDS);
    if (refusal) return { result: "REJECTED", query_id: id, reject_reason: refusal };
    const accounts = this.register.reachable(holder.idNumber, channel).map((account) => {
      const view = this.ledger.view(account);
      return {
        account_id: account.accountNumber,
        institution_name: account.institution,
        balance_fen: fen(view.balance),
        frozen_fen: fen(view.frozen),
        freezes: view.freezes.map((f) => ({
          court_name: f.court,
          doc_no: f.notice,
          amount_fen: fen(f.amount),
          start_date: f.since,
          end_date: f.until,
          rank: f.rank,
        })),
      };
    });
    return { result: "SUCCESS", query_id: id, accounts };
  }

  private order(request: AgencyRequest): AgencyReply | Submission {
    const refused = this.unauthenticated(request);
    if (refused) return refused;
    const parsed = parseOrder(jsonObjectOf(request));
    if (typeof parsed === "string") return jsonReply(400, { code: "INVALID_PARAMETER", message: parsed });
    return { idempotencyKey: parsed.key, execute: () => jsonReply(200, this.carryOut(parsed, request.channel)) };
  }

  private carryOut(order: Order, channel: Channel): object {
    const reject = (reason: string) => ({ order_status: "REJECTED", order_id: order.key, reject_reason: reason });
    const refusal = subjectRefusal(order.holder, WORDS);
    if (refusal) return reject(refusal);
    const account = this.register.of(order.holder.idNumber).find((a) => a.accountNumber === order.accountId);
    if (!account) return reject("ACCOUNT_NOT_OWNED_BY_HOLDER");
    if (!reachableOn(channel, account.divisionCode)) return reject("ACCOUNT_OUT_OF_CHANNEL");
    const outcome = this.ledger.act(account, order);
    const id = { order_id: order.key };
    switch (outcome.status) {
      case "FROZEN":
        return { order_status: "FROZEN", ...id, freeze_no: outcome.freezeNo, effective_time: outcome.effectiveFrom };
      case "QUEUED":
        return { order_status: "QUEUED", ...id, queue_rank: outcome.rank };
      case "DEDUCTED":
        return {
          order_status: "DEDUCTED",
          ...id,
          transfer_no: outcome.transferNo,
          transfer_time: outcome.deductedAt,
          amount_fen: fen(outcome.amount),
        };
      case "RELEASED":
        return { order_status: "UNFROZEN", ...id, unfrozen_time: outcome.releasedAt };
      case "RENEWED":
        return { order_status: "EXTENDED", ...id, end_date: outcome.until };
      case "REJECTED":
        return reject(outcome.reason);
    }
  }
}

function holderOf(value: unknown): Subject | undefined {
  const holder = objectOf(value);
  if (!holder) return undefined;
  return {
    idNumber: textOf(holder.id_no) ?? "",
    name: textOf(holder.name),
    declaredKind: declaredKindOf({ ID_CARD: "PERSON", USCC: "ORGANISATION" }, holder.id_type),
  };
}

/** The order, or what makes it malformed (answered 400, never executed nor stored). */
function parseOrder(body: Record<string, unknown> | undefined): Order | string {
  if (!body) return "body is not a JSON object";
  const key = textOf(body.order_id);
  const type = textOf(body.order_type);
  if (!key || !type || !Object.hasOwn(ORDER_ACTIONS, type)) return "order_id and order_type (FREEZE|DEDUCT|UNFREEZE|EXTEND) are required";
  const action = ORDER_ACTIONS[type as keyof typeof ORDER_ACTIONS];
  const accountId = textOf(body.account_id);
  const holder = holderOf(body.holder);
  const court = textOf(body.court_code);
  if (!accountId || !holder || !court || !textOf(body.case_no)) return "account_id, holder, court_code and case_no are required";
  const amount = body.amount_fen;
  if (amount != null && !(Number.isSafeInteger(amount) && (amount as number) > 0)) return "amount_fen must be a positive integer";
  for (const field of ["start_date", "end_date", "notice_date", "ruling_date"] as const)
    if (body[field] != null && !isDate(body[field])) return `${field} must be a date YYYY-MM-DD`;
  const measureRef = textOf(body.target_order_id);
  if (action === "FREEZE" && (amount == null || body.start_date == null || body.end_date == null))
    return "FREEZE requires amount_fen, start_date and end_date";
  if (action === "DEDUCT" && (amount == null || !measureRef)) return "DEDUCT requires amount_fen and target_order_id";
  if (action !== "FREEZE" && !measureRef) return `${type} requires target_order_id`;
  if (action === "RENEW" && body.end_date == null) return "EXTEND requires end_date";
  if (!textOf(body.notice_no) || !textOf(body.ruling_no) || !Array.isArray(body.judges) || body.judges.length === 0)
    return "notice_no, ruling_no and judges are required";
  const callbackUrl = httpUrlOf(body.notify_url);
  if (!callbackUrl) return "notify_url must be an http(s) URL";
  return {
    key,
    action,
    court,
    amount: amount == null ? undefined : BigInt(amount as number),
    from: (body.start_date ?? undefined) as string | undefined,
    to: (body.end_date ?? undefined) as string | undefined,
    measureRef,
    notice: textOf(body.notice_no)!,
    callbackUrl,
    accountId,
    holder,
  };
}

function fen(yuan: string): number {
  const parsed = parseYuan(yuan);
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return Number(parsed.cents);
}
