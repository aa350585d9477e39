/** 民政 (婚姻登记) wire format (docs/AGENCY_PROTOCOLS.md, CIVIL_AFFAIRS). */
import { isoDate, list, literal, matching, oneOf, record, tagged, text, type Decoded } from "../codec.js";

/** Sent form-encoded, in the marriage register's own field names. */
export interface MarriageQueryForm {
  qqbh: string;
  ah: string;
  fydm: string;
  xm: string;
  sfzh: string;
  cxyy: string;
  cbr: string;
}

const registration = record({
  /** 结婚 or 离婚 */
  djlx: oneOf("结婚", "离婚"),
  djrq: isoDate,
  djjg: text,
  po_xm: text,
  po_sfzh: matching(/^\d{17}[\dX]$/, "a resident ID number"),
});

export const marriageReply = tagged("fhdm", {
  "0": record({ fhdm: literal("0"), qqbh: text, jl: list(registration) }),
  "1": record({ fhdm: literal("1"), qqbh: text, cwxx: text }),
});

export type MarriageRegistration = Decoded<typeof registration>;
