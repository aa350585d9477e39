/**
 * 税务: asynchronous ticket with callback, HMAC-SM3 signed both ways.
 * `POST {base}/gateway/inquiry` (signed body) hands out a TX- ticket; once the
 * processing time has passed the answer is POSTed, signed, to the request's
 * callback_url, retried with backoff until the receiver answers 2xx.
 * `GET {base}/gateway/inquiry/{ticket}` (signed ticket) is the fallback for a
 * lost callback; `GET {base}/gateway/requests/{request_id}` (signed id) gives the
 * ticket again to a hub that lost the reply to its submission, or the reply to a freeze.
 * `POST {base}/gateway/refund-freezes` (signed body) freezes (冻结), releases and renews a
 * freeze of the refund due, named by the refund_no the answers give, and deducts (划拨) from
 * a freeze in effect, with the registries' control protocol (sandbox/controls.ts), answered
 * at once; later answers give the refund less what was deducted.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  jsonObjectOf,
  jsonReply,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Lookup,
  type Route,
  type Submission,
} from "../agencyServer.js";
import { formatYuan, parseYuan } from "../../domain/measures/yuan.js";
import { ControlDesk, type RegistryOptions } from "../controls.js";
import { cachedDebtorProfile } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";
import { SignedCallbackSender } from "../callbacks.js";
import { TicketBook } from "../tickets.js";

interface TaxAnswer {
  request_id: string;
  result: {
    registered: boolean;
    status: string;
    authority: string;
    payments: { period: string; tax_type: string; amount: string }[];
    refunds_due: string;
    refund_no: string | undefined;
  };
}

export class TaxBureau implements Agency {
  private readonly tickets = new TicketBook<TaxAnswer>("TX");
  private readonly callbacks: SignedCallbackSender;
  private readonly controls: ControlDesk;

  readonly routes: readonly Route[];

  constructor(
    private readonly environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.callbacks = new SignedCallbackSender(environment.stats, secret);
    this.controls = new ControlDesk({
      path: "/gateway/refund-freezes",
      assetField: "refundNo",
      kinds: ["FREEZE", "DEDUCT"],
      category: "OTHER_PROPERTY_RIGHT",
      holding: (idNumber, refundNo) => {
        const profile = cachedDebtorProfile(idNumber);
        return profile.tax.refundNumber === refundNo ? { divisionCode: profile.home.divisionCode, encumbrances: [] } : undefined;
      },
      notHeld: "该纳税人无此应退税款",
      balance: (idNumber) => cachedDebtorProfile(idNumber).tax.refundsDue,
      registers: "应退税款",
      stats: environment.stats,
      secret,
      now: options.now,
      authenticate: (request) =>
        this.signatureMatches(request.rawBody, request.headers["x-signature"]) ? undefined : this.errorReply(401, "签名验证失败"),
    });
    this.routes = [
      { method: "POST", path: "/gateway/inquiry", handle: (request) => this.submit(request) },
      { method: "GET", path: "/gateway/inquiry/:ticket", poll: true, handle: (request) => this.poll(request) },
      { method: "GET", path: "/gateway/requests/:requestId", handle: (request) => this.lookUp(request) },
      this.controls.route,
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { accepted: false, error: message });
  }

  reset(): void {
    this.controls.reset();
    this.callbacks.reset();
    this.tickets.clear();
  }

  private submit(request: AgencyRequest): AgencyReply | Submission {
    if (!this.signatureMatches(request.rawBody, request.headers["x-signature"])) return this.errorReply(401, "签名验证失败");
    const body = jsonObjectOf(request);
    if (!body) return this.errorReply(400, "body is not a JSON object");
    const key = textOf(request.headers["x-request-id"]);
    if (!key) return this.errorReply(400, "X-Request-Id header is required");
    if (body.request_id !== key) return this.errorReply(400, "request_id must equal the X-Request-Id header");
    if (!textOf(body.case_no) || !textOf(body.court_code)) return this.errorReply(400, "案号和法院代码不能为空");
    const taxpayerId = textOf(body.taxpayer_id) ?? "";
    if (!debtorIdKind(taxpayerId)) return this.errorReply(400, "纳税人识别号校验失败");
    const callbackUrl = body.callback_url === undefined ? undefined : httpUrlOf(body.callback_url);
    if (callbackUrl === null) return this.errorReply(400, "callback_url must be an http(s) URL");
    return {
      idempotencyKey: key,
      execute: () => {
        const answer = answerFor(key, taxpayerId, (refundNo) => this.controls.deductedFrom(refundNo));
        const processingMs = this.environment.knobs.processingMs;
        const ticket = this.tickets.issue(answer, processingMs);
        if (callbackUrl) this.callbacks.send(callbackUrl, JSON.stringify({ request_id: key, ticket, result: answer.result }), processingMs);
        return jsonReply(202, { accepted: true, ticket });
      },
    };
  }

  private poll(request: AgencyRequest): AgencyReply {
    const { ticket } = request.params;
    if (!this.signatureMatches(Buffer.from(ticket, "utf8"), request.headers["x-signature"])) return this.errorReply(401, "签名验证失败");
    const status = this.tickets.status(ticket);
    if (!status) return this.errorReply(404, `unknown ticket ${ticket}`);
    return jsonReply(200, status.ready ? { state: "DONE", ...status.answer } : { state: "PENDING" });
  }

  /** Signed like a poll, over the request id: a ticket is not known yet to a hub that lost the reply. */
  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    const { requestId } = request.params;
    if (!this.signatureMatches(Buffer.from(requestId, "utf8"), request.headers["x-signature"])) return this.errorReply(401, "签名验证失败");
    return {
      lookupKey: requestId,
      unknown: jsonReply(404, { accepted: false, request_id: requestId, state: "UNKNOWN", error: "未收到该请求" }),
    };
  }

  private sign(data: string | Buffer): string {
    return createHmac("sm3", this.secret).update(data).digest("hex");
  }

  private signatureMatches(data: Buffer, header: unknown): boolean {
    if (typeof header !== "string" || !/^[0-9a-fA-F]{64}$/.test(header)) return false;
    return timingSafeEqual(Buffer.from(header, "hex"), Buffer.from(this.sign(data), "hex"));
  }
}

/** The URL when it is an absolute http(s) URL, null otherwise. */
function httpUrlOf(value: unknown): string | null {
  if (typeof value !== "string" || !URL.canParse(value)) return null;
  return /^https?:$/.test(new URL(value).protocol) ? value : null;
}

/** The refund due is what the profile says less what courts have deducted from it (划拨). */
function answerFor(requestId: string, taxpayerId: string, deducted: (refundNo: string) => string): TaxAnswer {
  const tax = cachedDebtorProfile(taxpayerId).tax;
  const due = tax.refundNumber ? centsOf(tax.refundsDue) - centsOf(deducted(tax.refundNumber)) : 0n;
  return {
    request_id: requestId,
    result: {
      registered: tax.registered,
      status: tax.status,
      authority: tax.authority,
      payments: tax.payments.map((p) => ({ period: p.period, tax_type: p.taxType, amount: p.amount })),
      refunds_due: formatYuan(due),
      refund_no: due > 0n ? tax.refundNumber : undefined,
    },
  };
}

function centsOf(yuan: string): bigint {
  const parsed = parseYuan(yuan);
  return parsed.ok ? parsed.cents : 0n;
}
