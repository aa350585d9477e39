/**
 * What a list order must state, whom the court must tell, and by when it must act.
 *
 * - 限制消费规定 (法释〔2015〕17号) art. 5: "限制消费令由人民法院院长签发。限制消费令应当载明限制消费的期间、项目、法律后果
 *   等内容"; the items are the nine of art. 3 para. 1; the consequence is art. 11's (a violation is refusal to perform a
 *   ruling: detention or a fine under 民事诉讼法 (2023) art. 114, criminal liability when serious).
 * - 失信规定 (法释〔2017〕7号) art. 5: the decision (决定书) states the ground and, when fixed, the period; "决定书由院长签发";
 *   it is served on the parties. Art. 8: the list goes to the government departments, regulators, financial institutions
 *   and trade bodies (para. 1) and to the credit-reporting agencies (para. 2); a public official, people's congress
 *   deputy or CPPCC member listed is reported to their unit (para. 3); a state organ, public institution or
 *   state-owned enterprise listed, to its superior or the body exercising the investor's rights (para. 4).
 * - Deadlines: art. 9 (a listing that should not have been made revoked, a wrong one corrected, within three working
 *   days), art. 10 para. 1 (removal within three working days), art. 12 (a written application for correction reviewed
 *   within fifteen days of receipt; if well founded, corrected within three working days; against a refusal, an
 *   application for reconsideration to the court above within ten days of service, which decides within fifteen).
 * Working days here are Monday to Friday; the State Council's yearly holiday schedule is not modelled.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";
import { addDays } from "../measures/periodDates.js";
import { LISTING_GROUNDS, type ListingGround } from "./listingGround.js";

/** 限制消费规定 art. 3 para. 1 items 1–9. */
export const RESTRICTED_ITEMS = {
  PREMIUM_TRAVEL: "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
  LUXURY_VENUES: "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
  REAL_ESTATE: "购买不动产或者新建、扩建、高档装修房屋",
  PREMIUM_OFFICES: "租赁高档写字楼、宾馆、公寓等场所办公",
  NON_ESSENTIAL_VEHICLES: "购买非经营必需车辆",
  TRAVEL_AND_HOLIDAYS: "旅游、度假",
  PRIVATE_SCHOOLS: "子女就读高收费私立学校",
  HIGH_PREMIUM_INSURANCE: "支付高额保费购买保险理财产品",
  HIGH_SPEED_RAIL: "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
} as const;
export type RestrictedItem = keyof typeof RESTRICTED_ITEMS;

/** 限制消费规定 art. 11, with the 2023 numbering of the Civil Procedure Law. */
export const RESTRICTION_CONSEQUENCES =
  "违反限制消费令进行消费的，属于拒不履行人民法院已经发生法律效力的判决、裁定的行为，经查证属实的，" +
  "依照民事诉讼法第一百一十四条的规定予以拘留、罚款；情节严重，构成犯罪的，依法追究刑事责任";

export interface OrderRecord {
  /** 院长签发: who signed. */
  signedBy: string;
  /** The period, in words and dates. */
  period: string;
  /** A restriction: the items restricted; a listing: none. */
  items: string[];
  consequences: string;
  /** A listing: the ground (失信规定 art. 5). */
  ground?: string;
  notices: Notice[];
  rule: string;
}

export type OrderCheck =
  | { ok: true; order: OrderRecord }
  | Refusal<"SIGNER_REQUIRED", { rule: string }>
  | Refusal<"UNKNOWN_RESTRICTED_ITEM", { item: string; rule: string }>;

/** A restriction order (限制消费令): all nine items unless the court names fewer. */
export function restrictionOrder(input: { signedBy: string; startsOn: string; items?: readonly string[] | null }): OrderCheck {
  const rule = "限制消费规定 art. 5";
  if (!input.signedBy.trim()) return refuseWith("SIGNER_REQUIRED", `the president signs a restriction order (${rule})`, { rule });
  const items = input.items?.length ? input.items : (Object.keys(RESTRICTED_ITEMS) as RestrictedItem[]);
  const unknown = items.find((item) => !Object.hasOwn(RESTRICTED_ITEMS, item));
  if (unknown !== undefined) {
    return refuseWith("UNKNOWN_RESTRICTED_ITEM", `${unknown} is not an item of 限制消费规定 art. 3 para. 1`, {
      item: unknown,
      rule: "限制消费规定 art. 3 para. 1",
    });
  }
  return {
    ok: true,
    order: {
      signedBy: input.signedBy.trim(),
      period: `自${input.startsOn}起至限制消费令解除之日止`,
      items: items.map((item) => RESTRICTED_ITEMS[item as RestrictedItem]),
      consequences: RESTRICTION_CONSEQUENCES,
      notices: [{ to: "DEBTOR", what: "限制消费令送达被执行人", rule }],
      rule,
    },
  };
}

/** What a listed debtor is, for the reports of 失信规定 art. 8 paras. 3 and 4. */
export const DEBTOR_STANDINGS = {
  PUBLIC_OFFICIAL: "国家工作人员",
  PEOPLES_CONGRESS_DEPUTY: "人大代表",
  CPPCC_MEMBER: "政协委员",
  STATE_ORGAN: "国家机关",
  PUBLIC_INSTITUTION: "事业单位",
  STATE_OWNED_ENTERPRISE: "国有企业",
} as const;
export type DebtorStanding = keyof typeof DEBTOR_STANDINGS;

export interface Notice {
  to: "PARTIES" | "DEBTOR" | "AGENCIES" | "CREDIT_REPORTING" | "EMPLOYER" | "SUPERIOR";
  what: string;
  rule: string;
}

/** Whom the court tells of a dishonest-debtor listing. */
export function listingNotices(standing: DebtorStanding | null): Notice[] {
  const notices: Notice[] = [
    { to: "PARTIES", what: "决定书送达当事人", rule: "失信规定 art. 5" },
    { to: "AGENCIES", what: "向政府相关部门、金融监管机构、金融机构等通报", rule: "失信规定 art. 8 para. 1" },
    { to: "CREDIT_REPORTING", what: "向征信机构通报", rule: "失信规定 art. 8 para. 2" },
  ];
  if (standing === "PUBLIC_OFFICIAL" || standing === "PEOPLES_CONGRESS_DEPUTY" || standing === "CPPCC_MEMBER") {
    notices.push({ to: "EMPLOYER", what: "将失信情况通报其所在单位和相关部门", rule: "失信规定 art. 8 para. 3" });
  }
  if (standing === "STATE_ORGAN" || standing === "PUBLIC_INSTITUTION" || standing === "STATE_OWNED_ENTERPRISE") {
    notices.push({ to: "SUPERIOR", what: "将失信情况通报其上级单位、主管部门或者履行出资人职责的机构", rule: "失信规定 art. 8 para. 4" });
  }
  return notices;
}

/** A dishonest-debtor decision (决定书). */
export function listingDecision(input: {
  signedBy: string;
  ground: ListingGround;
  startsOn: string;
  expiresOn: string | null;
  standing: DebtorStanding | null;
}): OrderCheck {
  const rule = "失信规定 art. 5";
  if (!input.signedBy.trim()) return refuseWith("SIGNER_REQUIRED", `the president signs the decision (${rule})`, { rule });
  return {
    ok: true,
    order: {
      signedBy: input.signedBy.trim(),
      period: input.expiresOn === null ? `自${input.startsOn}起至依法删除之日止` : `自${input.startsOn}起至${input.expiresOn}止`,
      items: [],
      consequences: "依法对失信被执行人予以信用惩戒，并采取限制消费措施（限制消费规定 art. 1 para. 2）",
      ground: LISTING_GROUNDS[input.ground],
      notices: listingNotices(input.standing),
      rule,
    },
  };
}

/** `days` working days after `date` (Monday to Friday). */
export function addWorkingDays(date: string, days: number): string {
  let day = date;
  let left = days;
  while (left > 0) {
    day = addDays(day, 1);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return day;
}

export interface CorrectionDeadlines {
  /** 失信规定 art. 12: reviewed within fifteen days of receipt. */
  reviewBy: string;
  /** If well founded, corrected within three working days of the review. */
  correctWithinWorkingDays: 3;
  /** Against a refusal: ten days from its service to apply to the court above, which decides within fifteen. */
  reconsiderationApplicationDays: 10;
  reconsiderationDecisionDays: 15;
}

export function correctionDeadlines(receivedOn: string): CorrectionDeadlines {
  return {
    reviewBy: addDays(receivedOn, 15),
    correctWithinWorkingDays: 3,
    reconsiderationApplicationDays: 10,
    reconsiderationDecisionDays: 15,
  };
}

/** 失信规定 arts. 9, 10: removal, revocation and correction within three working days of the ground arising. */
export function removalDueBy(groundArose: string): string {
  return addWorkingDays(groundArose, 3);
}
