import type { AgencyConnector, InquiryCall, MarriageRecord } from "../connector.js";
import { registryInquiry } from "../codec.js";
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

  ...registryInquiry({
    kind: KIND,
    path: "/mzhy/query",
    keyHeader: "X-Request-Id",
    lookupPath: LOOKUP_PATH,
    form: true,
    encode: toForm,
    decoder: marriageReply,
    answers: (reply) => reply.qqbh,
    outcome: (reply, raw) => {
      if (reply.fhdm === "1") return { kind: "REFUSED", reason: reply.cwxx, raw };
      const marriages = reply.jl.map(toRecord).sort((a, b) => a.registeredOn.localeCompare(b.registeredOn));
      return { kind: "ANSWERED", findings: { assets: [], marriages }, raw };
    },
  }),
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

function toRecord(registration: MarriageRegistration): MarriageRecord {
  return {
    kind: registration.djlx === "结婚" ? "MARRIAGE" : "DIVORCE",
    registeredOn: registration.djrq,
    authority: registration.djjg,
    spouseName: registration.po_xm,
    spouseIdNumber: registration.po_sfzh,
  };
}
