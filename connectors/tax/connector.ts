import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorOutcome,
  type InquiryCall,
  type InquiryFindings,
  type OtherAssetFinding,
} from "../connector.js";
import type { AgencyResponse } from "../transport.js";
import { decodeJson, expectStatus, isPositiveYuan, protocolCheck } from "../codec.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import { acceptedReply, callbackBody, neverReceivedReply, pollReply, type TaxInquiryRequest, type TaxResult } from "./wire.js";

const KIND = "TAX";

/**
 * The answer normally arrives by callback, so polling is only the fallback for
 * a callback that was lost; the agency gives no retry hint, so this is ours.
 */
export const TAX_FALLBACK_POLL_MS = 15_000;

export const taxConnector: AgencyConnector = {
  kind: KIND,
  protocol:
    "税务: asynchronous ticket with callback, HMAC-SM3 signed; POST {base}/gateway/inquiry (X-Request-Id, X-Signature) returns a ticket, " +
    "the answer is POSTed to the hub's callback URL, GET {base}/gateway/inquiry/{ticket} is the fallback; " +
    "GET {base}/gateway/requests/{request_id} gives the ticket again",

  async inquire(call, ctx) {
    const body = JSON.stringify(toRequest(call));
    const reply = await ctx.transport.send("/gateway/inquiry", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Request-Id": call.idempotencyKey,
        "X-Signature": signHmacSm3(ctx.secret, body),
      },
      body,
    });
    return readTicket(reply);
  },

  /** The ticket the bureau handed out for this key: its callback or a fallback poll then gives the answer. */
  async recall(call, ctx) {
    const reply = await ctx.transport.send(`/gateway/requests/${encodeURIComponent(call.idempotencyKey)}`, {
      method: "GET",
      headers: { "X-Signature": signHmacSm3(ctx.secret, call.idempotencyKey) },
    });
    if (reply.status !== 404) return readTicket(reply);
    decodeJson(KIND, reply.body, neverReceivedReply(call.idempotencyKey));
    return undefined;
  },

  async poll(ticket, call, ctx) {
    const reply = await ctx.transport.send(`/gateway/inquiry/${encodeURIComponent(ticket)}`, {
      method: "GET",
      headers: { "X-Request-Id": call.idempotencyKey, "X-Signature": signHmacSm3(ctx.secret, ticket) },
    });
    rejectBadSignature(reply);
    expectStatus(KIND, reply, 200);
    const state = decodeJson(KIND, reply.body, pollReply);
    if (state.state === "PENDING") return { kind: "PENDING", ticket, pollAfterMs: TAX_FALLBACK_POLL_MS, raw: reply.body };
    protocolCheck(
      state.request_id === call.idempotencyKey,
      KIND,
      reply.body,
      `answers request ${state.request_id}, not ${call.idempotencyKey}`,
    );
    return { kind: "ANSWERED", findings: toFindings(state.result, ticket), raw: reply.body };
  },

  acceptCallback(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    if (!verifyHmacSm3(ctx.secret, body, header(headers, "x-signature"))) {
      throw new AgencyProtocolError(`${KIND} callback signature does not verify`, body);
    }
    const callback = decodeJson(KIND, body, callbackBody);
    return {
      idempotencyKey: callback.request_id,
      outcome: { kind: "ANSWERED", findings: toFindings(callback.result, callback.ticket), raw: body },
    };
  },
};

function readTicket(reply: AgencyResponse): ConnectorOutcome {
  rejectBadSignature(reply);
  // A replayed key may be answered 200 rather than 202; the body is the same ticket either way.
  expectStatus(KIND, reply, 202, 200);
  const accepted = decodeJson(KIND, reply.body, acceptedReply);
  return { kind: "PENDING", ticket: accepted.ticket, pollAfterMs: TAX_FALLBACK_POLL_MS, raw: reply.body };
}

function rejectBadSignature(reply: AgencyResponse): void {
  protocolCheck(reply.status !== 401, KIND, reply.body, "rejected our X-Signature (HTTP 401): check the shared secret for this endpoint");
}

/** HTTP servers hand over header names in whatever case they received. */
function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function toRequest(call: InquiryCall): TaxInquiryRequest {
  return {
    request_id: call.idempotencyKey,
    case_no: call.caseNumber,
    court_code: call.courtCode,
    taxpayer_id: call.debtor.idNumber,
    taxpayer_name: call.debtor.name,
    callback_url: call.callbackUrl,
  };
}

/**
 * A refund the tax authority owes the debtor can be attached like any other
 * asset, so it is reported as one. The answer's ticket identifies it: the
 * agency gives the refund no number of its own.
 */
function toFindings(result: TaxResult, ticket: string): InquiryFindings {
  const refund: OtherAssetFinding[] = isPositiveYuan(result.refunds_due)
    ? [
        {
          type: "OTHER",
          category: "TAX_REFUND",
          identifier: ticket,
          description: `应退税款 ${result.refunds_due} 元${result.authority ? `（${result.authority}）` : ""}`,
          holder: result.authority ?? "税务机关",
          estimatedValue: result.refunds_due,
          encumbrances: [],
        },
      ]
    : [];
  return {
    assets: refund,
    tax: {
      registered: result.registered,
      taxpayerStatus: result.status,
      taxAuthority: result.authority,
      recentPayments: result.payments.map((p) => ({ period: p.period, taxType: p.tax_type, amount: p.amount })),
      refundsDue: result.refunds_due,
    },
  };
}
