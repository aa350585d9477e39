import { registerEnumType } from "type-graphql";
import { AGENCY_REQUEST_STATUSES, type AgencyRequestStatus } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { enumOf } from "./enumOf.js";

export enum AgencyKindEnum {
  PROPERTY_REGISTRY = "PROPERTY_REGISTRY",
  VEHICLE_REGISTRY = "VEHICLE_REGISTRY",
  POLICE = "POLICE",
  TAX = "TAX",
  CREDIT_PLATFORM = "CREDIT_PLATFORM",
  BANK = "BANK",
  MARKET_REGULATION = "MARKET_REGULATION",
  CIVIL_AFFAIRS = "CIVIL_AFFAIRS",
  SECURITIES_DEPOSITORY = "SECURITIES_DEPOSITORY",
  SOCIAL_INSURANCE = "SOCIAL_INSURANCE",
  PROVIDENT_FUND = "PROVIDENT_FUND",
  PAYMENT_PLATFORM = "PAYMENT_PLATFORM",
}
registerEnumType(AgencyKindEnum, {
  name: "AgencyKind",
  description: "协助执行单位的种类",
  valuesConfig: {
    PROPERTY_REGISTRY: { description: "不动产登记机构" },
    VEHICLE_REGISTRY: { description: "车管所" },
    POLICE: { description: "公安机关: 身份、户籍、近期行踪" },
    TAX: { description: "税务机关: 登记、纳税、应退税款" },
    CREDIT_PLATFORM: { description: "公共信用信息平台: 现有惩戒" },
    BANK: { description: "银行 (总对总): 存款账户; 冻结、划拨" },
    MARKET_REGULATION: { description: "市场监管部门 (企业登记): 股权; 冻结" },
    CIVIL_AFFAIRS: { description: "民政部门 (婚姻登记): 婚姻登记记录, 配偶; 只查询" },
    SECURITIES_DEPOSITORY: { description: "证券登记结算机构: 证券账户的股票、债券, 基金份额; 冻结、划拨 (变价款)" },
    SOCIAL_INSURANCE: { description: "人力资源和社会保障部门 (社会保险): 工资发放单位与缴费工资, 养老金; 扣留、提取收入" },
    PROVIDENT_FUND: { description: "住房公积金管理中心: 公积金账户; 冻结, 符合提取条件时划拨" },
    PAYMENT_PLATFORM: { description: "网络支付机构 (支付宝、财付通等): 账户余额; 冻结、划拨" },
  },
});

export enum ChannelEnum {
  NATIONAL = "NATIONAL",
  LOCAL = "LOCAL",
}
registerEnumType(ChannelEnum, {
  name: "Channel",
  valuesConfig: { NATIONAL: { description: "总对总 (national)" }, LOCAL: { description: "点对点 (local, by division code)" } },
});

export enum DebtorKindEnum {
  PERSON = "PERSON",
  ORGANISATION = "ORGANISATION",
}
registerEnumType(DebtorKindEnum, {
  name: "DebtorKind",
  valuesConfig: {
    PERSON: { description: "自然人: 18-character resident ID (GB 11643)" },
    ORGANISATION: { description: "法人或非法人组织: unified social credit code (GB 32100)" },
  },
});

export enum CaseKindEnum {
  ENFORCEMENT = "ENFORCEMENT",
  RESUMED = "RESUMED",
  PRESERVATION = "PRESERVATION",
}
registerEnumType(CaseKindEnum, {
  name: "CaseKind",
  valuesConfig: { ENFORCEMENT: { description: "执" }, RESUMED: { description: "执恢" }, PRESERVATION: { description: "执保" } },
});

export const InquiryPartStatusEnum = enumOf(AGENCY_REQUEST_STATUSES);
export type InquiryPartStatusEnum = AgencyRequestStatus;
registerEnumType(InquiryPartStatusEnum, {
  name: "InquiryPartStatus",
  valuesConfig: {
    QUEUED: { description: "recorded, waiting to be sent (or to be retried after a transient failure)" },
    SENT: { description: "handed to the agency, reply pending" },
    AWAITING: { description: "the agency gave a ticket; the answer comes by poll or callback" },
    ANSWERED: { description: "final: the agency answered (possibly that the debtor holds nothing)" },
    REFUSED: { description: "final: the agency refused the request, with its reason" },
    FAILED: { description: "final: unusable reply, or retries exhausted" },
    TIMED_OUT: { description: "final: no answer before the agency's deadline" },
  },
});

export enum InquiryTriggerEnum {
  REGISTRATION = "REGISTRATION",
  ON_DEMAND = "ON_DEMAND",
  CONCLUSION_WATCH = "CONCLUSION_WATCH",
}
registerEnumType(InquiryTriggerEnum, {
  name: "InquiryTrigger",
  valuesConfig: {
    REGISTRATION: { description: "立案后首次总对总查询, started by registering the case (Henan High Court supervision opinion, item 2)" },
    ON_DEMAND: { description: "asked for by the case system" },
    CONCLUSION_WATCH: {
      description: "终本后每六个月的查询, started by the hub for the case's court (法〔2016〕373号 art. 16)",
    },
  },
});

export enum SexEnum {
  MALE = "MALE",
  FEMALE = "FEMALE",
}
registerEnumType(SexEnum, { name: "Sex" });
