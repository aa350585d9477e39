import type { AgencyConnector, ControlConnector, EquityFinding, InquiryCall } from "../connector.js";
import { registryControl, registryInquiry } from "../codec.js";
import { equityReply, type EquityQueryRequest, type EquityStake } from "./wire.js";

const KIND = "MARKET_REGULATION";
const LOOKUP_PATH = "/api/v2/requests";

export const marketRegulationConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "市场监管 (企业登记): synchronous JSON, POST {base}/api/v2/equity/query with X-Request-No; answers the debtor's stakes " +
    "(entname, uniscid, fundedratio, subconam, acconam) in the same exchange; GET {base}/api/v2/requests/{key} answers an " +
    "earlier request again. Equity freezes (冻结), releases, renewals: POST {base}/api/v2/equity/freezes, the registries' " +
    "control protocol with the company's credit code as uscc; a queued freeze taking effect is reported by an HMAC-SM3 signed callback",

  ...registryControl({
    kind: KIND,
    path: "/api/v2/equity/freezes",
    lookupPath: LOOKUP_PATH,
    assetField: "uscc",
    measureKinds: ["FREEZE"],
    assetCategory: "OTHER_PROPERTY_RIGHT",
  }),

  ...registryInquiry({
    kind: KIND,
    path: "/api/v2/equity/query",
    keyHeader: "X-Request-No",
    lookupPath: LOOKUP_PATH,
    encode: toRequest,
    decoder: equityReply,
    answers: (reply) => reply.req_no,
    outcome: (reply, raw) =>
      reply.code === "40"
        ? { kind: "REFUSED", reason: reply.msg, raw }
        : { kind: "ANSWERED", findings: { assets: reply.data.map(toFinding) }, raw },
  }),
};

function toRequest(call: InquiryCall): EquityQueryRequest {
  return {
    req_no: call.idempotencyKey,
    case_no: call.caseNumber,
    court_code: call.courtCode,
    investor: { cert_type: call.debtor.kind === "PERSON" ? "SFZ" : "TYSHXYDM", cert_no: call.debtor.idNumber, name: call.debtor.name },
    reason: call.purpose,
    handler: call.officer,
  };
}

/**
 * The register gives no value for a stake; the capital paid in is the floor of what it is worth to the
 * case, so it is what the over-seizure check (查扣冻规定 art. 19) weighs.
 */
function toFinding(stake: EquityStake): EquityFinding {
  return {
    type: "EQUITY",
    identifier: stake.uniscid,
    companyName: stake.entname,
    uscc: stake.uniscid,
    sharePercent: stake.fundedratio,
    subscribedCapital: stake.subconam,
    paidCapital: stake.acconam,
    description: `${stake.entname} ${stake.fundedratio}% 股权（认缴 ${stake.subconam} 元，实缴 ${stake.acconam} 元）`,
    estimatedValue: stake.acconam,
    encumbrances: stake.restrictions.map((r) => ({ type: r.kind, byAuthority: r.org, reference: r.doc_no, since: r.since, rank: r.rank })),
  };
}
