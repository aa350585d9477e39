/**
 * 税务: asynchronous ticket with callback, HMAC-SM3 signed both ways.
 * `POST {base}/gateway/inquiry` (signed body) hands out a TX- ticket; once the
 * processing time has passed the answer is POSTed, signed, to the request's
 * callback_url, retried with backoff until the receiver answers 2xx.
 * `GET {base}/gateway/inquiry/{ticket}` (signed ticket) is the fallback for a
 * lost callback.
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
  type Route,
  type Submission,
} from "../agencyServer.js";
import { debtorProfile } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";
import { TicketBook } from "../tickets.js";

/** Waits between callback attempts: four attempts in all, the last about 1.75 s after the first. */
const CALLBACK_RETRY_DELAYS_MS = [250, 500, 1000];
const CALLBACK_TIMEOUT_MS = 5000;

interface TaxAnswer {
  request_id: string;
  result: {
    registered: boolean;
    status: string;
    authority: string;
    payments: { period: string; tax_type: string; amount: string }[];
    refunds_due: string;
  };
}

export class TaxBureau implements Agency {
  private readonly tickets = new TicketBook<TaxAnswer>("TX");
  /** Aborted on reset so that pending callbacks of forgotten tickets are neither sent nor counted. */
  private deliveries = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();

  readonly routes: readonly Route[] = [
    { method: "POST", path: "/gateway/inquiry", handle: (request) => this.submit(request) },
    { method: "GET", path: "/gateway/inquiry/:ticket", poll: true, handle: (request) => this.poll(request) },
  ];

  constructor(
    private readonly environment: AgencyEnvironment,
    private readonly secret: string,
  ) {}

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { accepted: false, error: message });
  }

  reset(): void {
    this.deliveries.abort();
    this.deliveries = new AbortController();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
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
        const answer = answerFor(key, taxpayerId);
        const processingMs = this.environment.knobs.processingMs;
        const ticket = this.tickets.issue(answer, processingMs);
        if (callbackUrl) this.scheduleCallback(callbackUrl, JSON.stringify({ request_id: key, ticket, result: answer.result }), processingMs, 0);
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

  private scheduleCallback(url: string, body: string, delayMs: number, retriesDone: number): void {
    const signal = this.deliveries.signal;
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      const delivered = await this.deliver(url, body, signal);
      if (signal.aborted) return;
      if (delivered) this.environment.stats.callbacksSent++;
      else if (retriesDone < CALLBACK_RETRY_DELAYS_MS.length) this.scheduleCallback(url, body, CALLBACK_RETRY_DELAYS_MS[retriesDone], retriesDone + 1);
      else this.environment.stats.callbacksFailed++;
    }, delayMs);
    this.timers.add(timer);
  }

  private async deliver(url: string, body: string, signal: AbortSignal): Promise<boolean> {
    this.environment.stats.callbackAttempts++;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "x-signature": this.sign(body) },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
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

function answerFor(requestId: string, taxpayerId: string): TaxAnswer {
  const tax = debtorProfile(taxpayerId).tax;
  return {
    request_id: requestId,
    result: {
      registered: tax.registered,
      status: tax.status,
      authority: tax.authority,
      payments: tax.payments.map((p) => ({ period: p.period, tax_type: p.taxType, amount: p.amount })),
      refunds_due: tax.refundsDue,
    },
  };
}
