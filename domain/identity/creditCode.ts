/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015) identify organisations:
 * registration authority, organisation type, the division code of the registering
 * office, the organisation code (GB 11714) and a check character (GB/T 17710, mod 31).
 */

import { isValidDivisionCode } from "../divisionCode.js";
import { refuse, type ParseResult } from "../parseResult.js";

export type RegistrationAuthority =
  | "ESTABLISHMENT_ADMINISTRATION" // 机构编制
  | "FOREIGN_AFFAIRS" // 外交
  | "JUSTICE_ADMINISTRATION" // 司法行政
  | "CULTURE" // 文化
  | "CIVIL_AFFAIRS" // 民政
  | "TOURISM" // 旅游
  | "RELIGIOUS_AFFAIRS" // 宗教
  | "TRADE_UNION" // 工会
  | "INDUSTRY_AND_COMMERCE" // 工商, now market regulation
  | "MILITARY_ESTABLISHMENT" // 中央军委改革和编制办公室
  | "AGRICULTURE" // 农业
  | "OTHER"; // 其他

export type OrganisationType =
  | "GOVERNMENT_ORGAN" // 机关
  | "PUBLIC_INSTITUTION" // 事业单位
  | "MASS_ORGANISATION" // 中央编办直接管理机构编制的群众团体
  | "FOREIGN_NEWS_AGENCY" // 外国常驻新闻机构
  | "LAW_FIRM" // 律师执业机构
  | "NOTARY_OFFICE" // 公证处
  | "LEGAL_SERVICE_OFFICE" // 基层法律服务所
  | "FORENSIC_EXPERTISE_INSTITUTION" // 司法鉴定机构
  | "ARBITRATION_COMMISSION" // 仲裁委员会
  | "FOREIGN_CULTURAL_CENTRE" // 外国在华文化中心
  | "SOCIAL_ORGANISATION" // 社会团体
  | "PRIVATE_NON_ENTERPRISE_UNIT" // 民办非企业单位
  | "FOUNDATION" // 基金会
  | "FOREIGN_TOURISM_OFFICE" // 外国旅游部门常驻代表机构
  | "HONG_KONG_MACAO_TAIWAN_TOURISM_OFFICE" // 港澳台地区旅游部门常驻内地（大陆）代表机构
  | "RELIGIOUS_VENUE" // 宗教活动场所
  | "RELIGIOUS_COLLEGE" // 宗教院校
  | "TRADE_UNION" // 基层工会
  | "ENTERPRISE" // 企业
  | "INDIVIDUAL_BUSINESS" // 个体工商户
  | "FARMERS_COOPERATIVE" // 农民专业合作社
  | "MILITARY_PUBLIC_INSTITUTION" // 军队事业单位
  | "GROUP_COLLECTIVE_ECONOMIC_ORGANISATION" // 组级集体经济组织
  | "VILLAGE_COLLECTIVE_ECONOMIC_ORGANISATION" // 村级集体经济组织
  | "TOWNSHIP_COLLECTIVE_ECONOMIC_ORGANISATION" // 乡镇级集体经济组织
  | "OTHER"; // 其他

export interface CreditCode {
  /** Upper-cased, as printed on the licence. */
  readonly creditCode: string;
  readonly divisionCode: string;
  readonly registrationAuthority: RegistrationAuthority;
  /**
   * Debts of an INDIVIDUAL_BUSINESS (个体工商户) are its operator's, which matters
   * when deciding whom an enforcement case may reach.
   */
  readonly organisationType: OrganisationType;
}

// GB 32100-2015 table of registration authorities and the organisation types each may assign.
const AUTHORITIES: Readonly<Record<string, { authority: RegistrationAuthority; types: Readonly<Record<string, OrganisationType>> }>> = {
  "1": {
    authority: "ESTABLISHMENT_ADMINISTRATION",
    types: { "1": "GOVERNMENT_ORGAN", "2": "PUBLIC_INSTITUTION", "3": "MASS_ORGANISATION", "9": "OTHER" },
  },
  "2": { authority: "FOREIGN_AFFAIRS", types: { "1": "FOREIGN_NEWS_AGENCY", "9": "OTHER" } },
  "3": {
    authority: "JUSTICE_ADMINISTRATION",
    types: {
      "1": "LAW_FIRM",
      "2": "NOTARY_OFFICE",
      "3": "LEGAL_SERVICE_OFFICE",
      "4": "FORENSIC_EXPERTISE_INSTITUTION",
      "5": "ARBITRATION_COMMISSION",
      "9": "OTHER",
    },
  },
  "4": { authority: "CULTURE", types: { "1": "FOREIGN_CULTURAL_CENTRE", "9": "OTHER" } },
  "5": {
    authority: "CIVIL_AFFAIRS",
    types: { "1": "SOCIAL_ORGANISATION", "2": "PRIVATE_NON_ENTERPRISE_UNIT", "3": "FOUNDATION", "9": "OTHER" },
  },
  "6": { authority: "TOURISM", types: { "1": "FOREIGN_TOURISM_OFFICE", "2": "HONG_KONG_MACAO_TAIWAN_TOURISM_OFFICE", "9": "OTHER" } },
  "7": { authority: "RELIGIOUS_AFFAIRS", types: { "1": "RELIGIOUS_VENUE", "2": "RELIGIOUS_COLLEGE", "9": "OTHER" } },
  "8": { authority: "TRADE_UNION", types: { "1": "TRADE_UNION", "9": "OTHER" } },
  "9": { authority: "INDUSTRY_AND_COMMERCE", types: { "1": "ENTERPRISE", "2": "INDIVIDUAL_BUSINESS", "3": "FARMERS_COOPERATIVE" } },
  A: { authority: "MILITARY_ESTABLISHMENT", types: { "1": "MILITARY_PUBLIC_INSTITUTION", "9": "OTHER" } },
  N: {
    authority: "AGRICULTURE",
    types: {
      "1": "GROUP_COLLECTIVE_ECONOMIC_ORGANISATION",
      "2": "VILLAGE_COLLECTIVE_ECONOMIC_ORGANISATION",
      "3": "TOWNSHIP_COLLECTIVE_ECONOMIC_ORGANISATION",
      "9": "OTHER",
    },
  },
  Y: { authority: "OTHER", types: { "1": "OTHER" } },
};

// I, O, S, V and Z are left out because they are easily confused with digits or other letters.
const CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// Organisations registered by central authorities carry this code, which GB/T 2260 does not list.
const CENTRAL_REGISTRATION = "100000";

/** Reads an 18-character unified social credit code; lower-case letters are accepted. */
export function parseCreditCode(value: string): ParseResult<CreditCode> {
  if (value.length !== 18) {
    return refuse(`unified social credit code must be 18 characters, got ${value.length}`);
  }
  const creditCode = value.toUpperCase();
  for (let i = 0; i < creditCode.length; i++) {
    if (!CHARACTERS.includes(creditCode[i])) {
      return refuse(
        `character ${value[i]} at position ${i + 1} is not allowed; ` +
          "unified social credit codes use digits and letters other than I, O, S, V and Z",
      );
    }
  }

  const authorityCode = creditCode[0];
  const registration = AUTHORITIES[authorityCode];
  if (registration === undefined) {
    return refuse(`registration authority code ${authorityCode} is not defined; expected one of ${Object.keys(AUTHORITIES).join(", ")}`);
  }
  const typeCode = creditCode[1];
  const organisationType = registration.types[typeCode];
  if (organisationType === undefined) {
    return refuse(
      `organisation type code ${typeCode} is not defined for registration authority ${authorityCode}; ` +
        `expected one of ${Object.keys(registration.types).join(", ")}`,
    );
  }

  const divisionCode = creditCode.slice(2, 8);
  if (divisionCode !== CENTRAL_REGISTRATION && !isValidDivisionCode(divisionCode)) {
    return refuse(`division code ${divisionCode} is not 6 digits starting with a GB/T 2260 province code`);
  }

  const expected = checkCharacter(creditCode.slice(0, 17));
  const actual = creditCode[17];
  if (actual !== expected) {
    return refuse(`check character should be ${expected}, got ${actual}`);
  }

  return {
    ok: true,
    value: { creditCode, divisionCode, registrationAuthority: registration.authority, organisationType },
  };
}

function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += CHARACTERS.indexOf(body[i]) * WEIGHTS[i];
  return CHARACTERS[(31 - (sum % 31)) % 31];
}
