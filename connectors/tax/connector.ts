import {
  AgencyProtocolError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type ControlConnector,
  type InquiryCall,
  type InquiryFindings,
  type OtherAssetFinding,
} from "../connector.js";
import type { AgencyResponse } from "../transport.js";
import { answersCall, decodeJson, expectStatus, isPositiveYuan, protocolCheck, registryControl } from "../codec.js";
import { signHmacSm3, verifyHmacSm3 } from "../signature.js";
import { acceptedReply, callbackBody, neverReceivedReply, pollReply, type TaxInquiryRequest, type TaxResult } from "./wire.js";

const KIND = "TAX";

/**
 * The answer normally arrives by callback, so polling is only the fallback for
 * a callback that was lost; the agency gives no retry hint, so this is ours.
 */
export const TAX_FALLBACK_POLL_MS = 15_000;

export const taxConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "税务: asynchronous ticket with callback, HMAC-SM3 signed; POST {base}/gateway/inquiry (X-Request-Id, X-Signature) returns a ticket, " +
    "the answer is POSTed to the hub's callback URL, GET {base}/gateway/inquiry/{ticket} is the fallback; " +
    "GET {base}/gateway/requests/{request_id} gives the ticket again. Freezes (冻结) of a refund due, releases, renewals: " +
    "POST {base}/gateway/refund-freezes (X-Signature), the registries' control protocol with the refund's refundNo, answered at once",

  // A refund due is a claim on the state, another property right (民事诉讼法 2023 art. 253; 民诉法解释 2022 art. 485).
  ...registryControl({
    kind: KIND,
    path: "/gateway/refund-freezes",
    lookupPath: "/gateway/requests",
    assetField: "refundNo",
    measureKinds: ["FREEZE", "DEDUCT"],
    assetCategory: "OTHER_PROPERTY_RIGHT",
    signature: (body, ctx) => ({ "X-Signature": signHmacSm3(ctx.secret, body) }),
    lookUp: lookUpTaxRequest,
  }),

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
    const reply = await lookUpTaxRequest(call.idempotencyKey, ctx);
    return reply && readTicket(reply);
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
    answersCall(state.request_id, call.idempotencyKey, KIND, reply.body);
    return { kind: "ANSWERED", findings: toFindings(state.result, reply.body), raw: reply.body };
  },

  acceptCallback(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    if (!verifyHmacSm3(ctx.secret, body, header(headers, "x-signature"))) {
      throw new AgencyProtocolError(`${KIND} callback signature does not verify`, body);
    }
    const callback = decodeJson(KIND, body, callbackBody);
    return {
      idempotencyKey: callback.request_id,
      outcome: { kind: "ANSWERED", findings: toFindings(callback.result, body), raw: body },
    };
  },
};

/** The bureau's reply to an earlier request (inquiry or freeze) with this id, or undefined when it never received it. */
async function lookUpTaxRequest(requestId: string, ctx: ConnectorContext): Promise<AgencyResponse | undefined> {
  const reply = await ctx.transport.send(`/gateway/requests/${encodeURIComponent(requestId)}`, {
    method: "GET",
    headers: { "X-Signature": signHmacSm3(ctx.secret, requestId) },
  });
  if (reply.status !== 404) return reply;
  decodeJson(KIND, reply.body, neverReceivedReply(requestId));
  return undefined;
}

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
 * A refund the tax authority owes the debtor can be frozen like any other
 * property right, so it is reported as an asset under the bureau's refund
 * number, which a freeze then names.
 */
function toFindings(result: TaxResult, raw: string): InquiryFindings {
  const due = isPositiveYuan(result.refunds_due);
  protocolCheck(!due || result.refund_no !== undefined, KIND, raw, "reports a refund due without its refund_no");
  const refund: OtherAssetFinding[] = due
    ? [
        {
          type: "OTHER",
          category: "TAX_REFUND",
          identifier: result.refund_no!,
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
