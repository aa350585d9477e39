import type { AgencyConnector, ConnectorOutcome, ControlConnector, InquiryCall, RealEstateFinding } from "../connector.js";
import { decodeJson, expectStatus, lookUpRegistryRequest, protocolCheck, registryControl } from "../codec.js";
import type { AgencyResponse } from "../transport.js";
import { propertyReply, type PropertyInquiryRequest, type PropertyRecord } from "./wire.js";

const KIND = "PROPERTY_REGISTRY";
const LOOKUP_PATH = "/v1/requests";

export const propertyRegistryConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "不动产登记: synchronous JSON, POST {base}/v1/property-inquiries with Idempotency-Key; answers in the same exchange; " +
    "GET {base}/v1/requests/{key} answers an earlier request again. " +
    "Seals (查封), releases, renewals: POST {base}/v1/controls, answered at once; " +
    "a queued seal taking effect later is reported by an HMAC-SM3 signed callback",

  ...registryControl({
    kind: KIND,
    path: "/v1/controls",
    lookupPath: LOOKUP_PATH,
    assetField: "certNo",
    measureKinds: ["SEAL"],
    assetCategory: "REAL_ESTATE",
  }),

  async inquire(call, ctx) {
    const reply = await ctx.transport.send("/v1/property-inquiries", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": call.idempotencyKey },
      body: JSON.stringify(toRequest(call)),
    });
    return readReply(call, reply);
  },

  async recall(call, ctx) {
    const reply = await lookUpRegistryRequest(KIND, LOOKUP_PATH, call.idempotencyKey, ctx);
    return reply && readReply(call, reply);
  },
};

function readReply(call: InquiryCall, reply: AgencyResponse): ConnectorOutcome {
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, propertyReply);
  protocolCheck(
    decoded.requestId === call.idempotencyKey,
    KIND,
    reply.body,
    `answers request ${decoded.requestId}, not ${call.idempotencyKey}`,
  );
  if (decoded.status === "REJECTED") return { kind: "REFUSED", reason: decoded.message, raw: reply.body };
  return { kind: "ANSWERED", findings: { assets: decoded.records.map(toFinding) }, raw: reply.body };
}

function toRequest(call: InquiryCall): PropertyInquiryRequest {
  return {
    requestId: call.idempotencyKey,
    caseNumber: call.caseNumber,
    court: call.courtCode,
    subject: { type: call.debtor.kind === "PERSON" ? "PERSON" : "ORG", idNumber: call.debtor.idNumber, name: call.debtor.name },
    purpose: call.purpose,
    officer: call.officer,
  };
}

function toFinding(record: PropertyRecord): RealEstateFinding {
  return {
    type: "REAL_ESTATE",
    identifier: record.certNo,
    certificateNumber: record.certNo,
    description: `${record.use}，${record.location}，${record.area}平方米`,
    address: record.location,
    areaSquareMetres: record.area,
    usage: record.use,
    ownershipShare: record.share,
    estimatedValue: record.appraisal,
    encumbrances: record.encumbrances.map((e) => ({
      type: e.type,
      byAuthority: e.authority,
      reference: e.docNo,
      since: e.since,
      rank: e.rank,
      amount: e.amount,
    })),
  };
}
