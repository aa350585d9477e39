import type { AgencyConnector, ControlConnector, InquiryCall, RealEstateFinding } from "../connector.js";
import { registryControl, registryInquiry } from "../codec.js";
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

  ...registryInquiry({
    kind: KIND,
    path: "/v1/property-inquiries",
    keyHeader: "Idempotency-Key",
    lookupPath: LOOKUP_PATH,
    encode: toRequest,
    decoder: propertyReply,
    answers: (reply) => reply.requestId,
    outcome: (reply, raw) =>
      reply.status === "REJECTED"
        ? { kind: "REFUSED", reason: reply.message, raw }
        : { kind: "ANSWERED", findings: { assets: reply.records.map(toFinding) }, raw },
  }),
};

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
