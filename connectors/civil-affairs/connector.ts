import type { AgencyConnector, ConnectorOutcome, InquiryCall, MarriageRecord } from "../connector.js";
import { decodeJson, expectStatus, lookUpRegistryRequest, protocolCheck } from "../codec.js";
import type { AgencyResponse } from "../transport.js";
import { marriageReply, type MarriageQueryForm, type MarriageRegistration } from "./wire.js";

const KIND = "CIVIL_AFFAIRS";
const LOOKUP_PATH = "/mzhy/requests";

/**
 * Results only: marriage records show where a spouse may hold property that is the debtor's too
 * (Henan enforcement decision (2020)); the register holds nothing a court could freeze.
 */
export const civilAffairsConnector: AgencyConnector = {
  kind: KIND,
  protocol:
    "民政 (婚姻登记): synchronous, POST {base}/mzhy/query form-encoded (qqbh, ah, fydm, xm, sfzh, cxyy, cbr) with X-Request-Id, " +
    "answered in the same exchange in JSON (fhdm 0 with the registrations jl, or 1 with cwxx); " +
    "GET {base}/mzhy/requests/{key} answers an earlier request again. Persons only; no measures",

  async inquire(call, ctx) {
    const reply = await ctx.transport.send("/mzhy/query", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": call.idempotencyKey },
      body: new URLSearchParams({ ...toForm(call) }).toString(),
    });
    return readReply(call, reply);
  },

  async recall(call, ctx) {
    const reply = await lookUpRegistryRequest(KIND, LOOKUP_PATH, call.idempotencyKey, ctx);
    return reply && readReply(call, reply);
  },
};

function toForm(call: InquiryCall): MarriageQueryForm {
  return {
    qqbh: call.idempotencyKey,
    ah: call.caseNumber,
    fydm: call.courtCode,
    xm: call.debtor.name,
    sfzh: call.debtor.idNumber,
    cxyy: call.purpose,
    cbr: call.officer,
  };
}

function readReply(call: InquiryCall, reply: AgencyResponse): ConnectorOutcome {
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, marriageReply);
  protocolCheck(decoded.qqbh === call.idempotencyKey, KIND, reply.body, `answers request ${decoded.qqbh}, not ${call.idempotencyKey}`);
  if (decoded.fhdm === "1") return { kind: "REFUSED", reason: decoded.cwxx, raw: reply.body };
  const marriages = decoded.jl.map(toRecord).sort((a, b) => a.registeredOn.localeCompare(b.registeredOn));
  return { kind: "ANSWERED", findings: { assets: [], marriages }, raw: reply.body };
}

function toRecord(registration: MarriageRegistration): MarriageRecord {
  return {
    kind: registration.djlx === "结婚" ? "MARRIAGE" : "DIVORCE",
    registeredOn: registration.djrq,
    authority: registration.djjg,
    spouseName: registration.po_xm,
    spouseIdNumber: registration.po_sfzh,
  };
}
