/**
 * The six grounds on which a debtor is put on the dishonest-debtor list (失信被执行人名单),
 * 最高人民法院关于公布失信被执行人名单信息的若干规定 (法释〔2013〕17号, amended 法释〔2017〕7号) art. 1:
 * "被执行人未履行生效法律文书确定的义务，并具有下列情形之一的，人民法院应当将其纳入失信被执行人名单".
 * Nothing else puts a debtor on the list.
 */
import { refuseWith, type Refusal } from "../measures/guardResult.js";

export const LISTING_GROUNDS = {
  /** art. 1 item 1 */
  ABLE_BUT_REFUSES: "有履行能力而拒不履行生效法律文书确定义务的",
  /** art. 1 item 2 */
  FALSE_EVIDENCE_OR_VIOLENCE: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行的",
  /** art. 1 item 3 */
  EVASION_BY_FALSE_LITIGATION: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行的",
  /** art. 1 item 4 */
  VIOLATES_PROPERTY_REPORTING: "违反财产报告制度的",
  /** art. 1 item 5 */
  VIOLATES_CONSUMPTION_RESTRICTION: "违反限制消费令的",
  /** art. 1 item 6 */
  BREACHES_SETTLEMENT: "无正当理由拒不履行执行和解协议的",
} as const;

export type ListingGround = keyof typeof LISTING_GROUNDS;

export type GroundCheck = { ok: true; ground: ListingGround; conduct: string } | Refusal<"UNKNOWN_GROUND", { ground: string }>;

export function checkGround(ground: string): GroundCheck {
  if (!Object.hasOwn(LISTING_GROUNDS, ground)) {
    return refuseWith(
      "UNKNOWN_GROUND",
      `${ground} is not one of the six grounds of 失信规定 art. 1 (${Object.keys(LISTING_GROUNDS).join(", ")})`,
      { ground },
    );
  }
  const known = ground as ListingGround;
  return { ok: true, ground: known, conduct: LISTING_GROUNDS[known] };
}
