/**
 * The one interface every agency connector implements. The dispatcher, the
 * GraphQL layer and the audit trail only ever see these types; wire formats
 * (JSON, tickets, SOAP, callbacks, signatures) stay inside each connector's folder.
 */
import type { AssetCategory } from "../domain/measures/measureKinds.js";
import type { PoliceAssistanceKind } from "../domain/measures/policeAssistance.js";
import type { WithdrawalGround } from "../domain/measures/providentFundDeduction.js";
import type { AgencyTransport } from "./transport.js";

export { AgencyProtocolError, TransientAgencyError } from "./agencyErrors.js";

export type AgencyKind =
  | "PROPERTY_REGISTRY"
  | "VEHICLE_REGISTRY"
  | "POLICE"
  | "TAX"
  | "CREDIT_PLATFORM"
  | "BANK"
  | "MARKET_REGULATION"
  | "CIVIL_AFFAIRS"
  | "SECURITIES_DEPOSITORY"
  | "SOCIAL_INSURANCE"
  | "PROVIDENT_FUND"
  | "PAYMENT_PLATFORM";
export const AGENCY_KINDS: readonly AgencyKind[] = [
  "PROPERTY_REGISTRY",
  "VEHICLE_REGISTRY",
  "POLICE",
  "TAX",
  "CREDIT_PLATFORM",
  "BANK",
  "MARKET_REGULATION",
  "CIVIL_AFFAIRS",
  "SECURITIES_DEPOSITORY",
  "SOCIAL_INSURANCE",
  "PROVIDENT_FUND",
  "PAYMENT_PLATFORM",
];

export type DebtorKind = "PERSON" | "ORGANISATION";

/** What the hub asks an agency about one debtor of one case. */
export interface InquiryCall {
  /** Stable across every resend of this request: the agency must treat repeats as one query. */
  idempotencyKey: string;
  caseNumber: string;
  courtCode: string;
  debtor: { kind: DebtorKind; idNumber: string; name: string };
  purpose: string;
  officer: string;
  /** Where an agency that answers by callback should deliver its answer. */
  callbackUrl: string;
}

/** Money is carried as a decimal string in yuan ("1234.50") to avoid float drift. */
export type Yuan = string;

export interface Encumbrance {
  /** e.g. SEAL, MORTGAGE, FREEZE, SEIZURE */
  type: string;
  byAuthority: string;
  reference?: string;
  since?: string;
  rank?: number;
  /** yuan it secures or holds, where the agency reports it (a mortgage's secured claim): over-seizure counts the asset net of it. */
  amount?: string;
}

interface AssetFindingBase {
  /** Registry identifier unique within the agency: certificate number, plate, account. */
  identifier: string;
  description: string;
  estimatedValue?: Yuan;
  encumbrances: Encumbrance[];
}

export interface RealEstateFinding extends AssetFindingBase {
  type: "REAL_ESTATE";
  certificateNumber: string;
  address: string;
  areaSquareMetres: number;
  usage: string;
  ownershipShare: string;
}

export interface VehicleFinding extends AssetFindingBase {
  type: "VEHICLE";
  plateNumber: string;
  vin: string;
  brand: string;
  model: string;
  colour: string;
  registeredOn: string;
}

/** Anything else an agency reports as attachable: a tax refund due, a deposit, a receivable. */
export interface OtherAssetFinding extends AssetFindingBase {
  type: "OTHER";
  category: string;
  holder: string;
}

/** A deposit account (银行存款): what a bank reports, and what freezes and deductions act on. */
export interface DepositAccountFinding extends AssetFindingBase {
  type: "DEPOSIT_ACCOUNT";
  accountNumber: string;
  bank: string;
  branch: string;
  /** e.g. CNY */
  currency: string;
  balance: Yuan;
  /** Already frozen by courts (any court), so not available to a new freeze. */
  frozenAmount: Yuan;
}

/** Equity (股权) in a company, as the market regulator's enterprise register (企业登记) records the shareholder. */
export interface EquityFinding extends AssetFindingBase {
  type: "EQUITY";
  companyName: string;
  /** The company's unified social credit code: one debtor holds one stake per company, so it identifies the equity. */
  uscc: string;
  /** The stake as a percentage of the registered capital, e.g. "35.00". */
  sharePercent: string;
  subscribedCapital: Yuan;
  paidCapital: Yuan;
}

/**
 * A position (持仓) in one security or fund in one account at the securities depository (证券登记结算): shares or
 * bonds valued at the last closing price, fund shares (基金份额) at the last net asset value.
 */
export interface SecuritiesFinding extends AssetFindingBase {
  type: "SECURITIES";
  /** The securities account (证券账户) or, for an open-end fund, the fund account (基金账户). */
  accountNumber: string;
  /** SH (上海), SZ (深圳), OF (开放式基金). */
  market: string;
  /** The branch of the securities or fund company that keeps the account. */
  custodian: string;
  securityCode: string;
  securityName: string;
  securityKind: "STOCK" | "BOND" | "FUND";
  /** Shares, bonds (面额张数) or fund share units (基金份额), decimal string. */
  quantity: string;
  /** The closing price, or for a fund its net asset value (基金净值) per unit, yuan. */
  unitPrice: string;
  /** The day the price or NAV is of. */
  pricedOn: string;
  marketValue: Yuan;
}

/**
 * Income (收入) a payer pays the debtor each month, as the social insurance agency (人社) knows it: the employer paying
 * the debtor's contributions, with the monthly wage base (缴费工资), or the pension paid. What a withholding order
 * (扣留、提取收入, 民事诉讼法 2023 art. 254) acts on; it has no value of its own, only a monthly amount.
 */
export interface IncomeFinding extends AssetFindingBase {
  type: "INCOME";
  /** WAGE: paid by an employer; PENSION: the basic old-age pension (基本养老金) paid by the agency. */
  incomeKind: "WAGE" | "PENSION";
  payerName: string;
  /** The agency's number for the payer (单位编号), under which a withholding order is registered. */
  payerCode: string;
  monthlyAmount: Yuan;
  /** First month paid (YYYY-MM). */
  since: string;
}

/**
 * A housing provident fund account (住房公积金) as the centre (住房公积金管理中心) keeps it: frozen like a deposit, and
 * deducted only on a withdrawal ground the centre reports (domain/measures/providentFundDeduction.ts).
 */
export interface ProvidentFundAccountFinding extends AssetFindingBase {
  type: "PROVIDENT_FUND_ACCOUNT";
  accountNumber: string;
  centre: string;
  balance: Yuan;
  /** Paid in each month by the worker and the employer together. */
  monthlyContribution: Yuan;
  /** NORMAL 正常缴存, SUSPENDED 封存 (no longer paid in), CLOSED 销户. */
  status: "NORMAL" | "SUSPENDED" | "CLOSED";
  /** The withdrawal ground (住房公积金管理条例 art. 24) the centre has on file for the holder, if any. */
  withdrawalGround?: WithdrawalGround;
  frozenAmount: Yuan;
}

/** A balance a payment institution (网络支付机构: 支付宝, 财付通, …) holds for the debtor: frozen and deducted like a deposit. */
export interface PaymentAccountFinding extends AssetFindingBase {
  type: "PAYMENT_ACCOUNT";
  accountNumber: string;
  institution: string;
  balance: Yuan;
  frozenAmount: Yuan;
}

export type AssetFinding =
  | RealEstateFinding
  | VehicleFinding
  | OtherAssetFinding
  | DepositAccountFinding
  | EquityFinding
  | SecuritiesFinding
  | IncomeFinding
  | ProvidentFundAccountFinding
  | PaymentAccountFinding;

export interface IdentityRecord {
  name: string;
  /** false when the name the court gave differs from the registered one */
  nameMatches: boolean;
  sex?: "MALE" | "FEMALE";
  birthDate?: string;
  householdAddress: string;
  householdRegistrationAuthority: string;
  recentWhereabouts: { at: string; place: string; kind: string }[];
}

export interface TaxRecord {
  registered: boolean;
  taxpayerStatus: string;
  taxAuthority?: string;
  recentPayments: { period: string; taxType: string; amount: Yuan }[];
  refundsDue: Yuan;
}

export interface CreditRecord {
  sanctions: { list: string; authority: string; reference: string; since: string; until?: string }[];
}

/**
 * 婚姻登记: one registration (marriage or divorce) of the debtor, with the spouse named in it, so a court can
 * look for property the spouse holds that is the debtor's too.
 */
export interface MarriageRecord {
  kind: "MARRIAGE" | "DIVORCE";
  registeredOn: string;
  authority: string;
  spouseName: string;
  spouseIdNumber: string;
}

/** The normalised content of one agency answer. An empty answer (nothing held) is a valid answer. */
export interface InquiryFindings {
  assets: AssetFinding[];
  identity?: IdentityRecord;
  tax?: TaxRecord;
  credit?: CreditRecord;
  /** Civil affairs: the debtor's marriage registrations, oldest first; the last says whether the debtor is married now. */
  marriages?: MarriageRecord[];
}

export type ConnectorOutcome =
  | { kind: "ANSWERED"; findings: InquiryFindings; raw: string }
  /** The agency took the request and will answer later (ticket to poll, or callback). */
  | { kind: "PENDING"; ticket: string; pollAfterMs: number; raw: string }
  /** The agency answered that it will not serve this request, with its reason. Final. */
  | { kind: "REFUSED"; reason: string; raw: string };

/** A callback delivered to the hub by an agency, already verified and decoded by the connector. */
export interface CallbackDelivery {
  idempotencyKey: string;
  outcome: ConnectorOutcome;
}

export interface ConnectorContext {
  transport: AgencyTransport;
  /** Shared secret for agencies that sign callbacks or requests with HMAC-SM3. */
  secret: string;
}

export interface AgencyConnector {
  readonly kind: AgencyKind;
  /** Human description of the wire protocol, shown in the schema docs and ARCHITECTURE.md. */
  readonly protocol: string;
  inquire(call: InquiryCall, ctx: ConnectorContext): Promise<ConnectorOutcome>;
  /** For ticket-based agencies: ask again about a PENDING ticket. */
  poll?(ticket: string, call: InquiryCall, ctx: ConnectorContext): Promise<ConnectorOutcome>;
  /** For agencies that call back: verify and decode the body the agency POSTed to the hub. */
  acceptCallback?(body: string, headers: Record<string, string | undefined>, ctx: ConnectorContext): CallbackDelivery;
  /**
   * For agencies that can be asked about an idempotency key: the agency's reply to the earlier
   * submission of this call, or undefined when it says it never received it. The dispatcher asks
   * before it resends a request that may have reached the agency, so the agency receives it once.
   * Without it, a resend carries the same key and the agency answers it from its idempotency record.
   */
  recall?(call: InquiryCall, ctx: ConnectorContext): Promise<ConnectorOutcome | undefined>;
}

/* ---------------------------------------------------------------- control measures (控) */

/**
 * FREEZE 冻结, SEAL 查封, SEIZE 扣押, DEDUCT 划拨 (out of a freeze the same case holds, `measureRef`), WITHHOLD 扣留、提取收入
 * (each month, `monthlyAmount`, up to `amount` in all).
 */
export type MeasureKind = "FREEZE" | "SEAL" | "SEIZE" | "DEDUCT" | "WITHHOLD";

/** APPLY a new measure, RELEASE (解除) or RENEW (续行) one in force. */
export type ControlAction = "APPLY" | "RELEASE" | "RENEW";

/** What the hub asks an agency to do to one asset. */
export interface ControlCall {
  idempotencyKey: string;
  action: ControlAction;
  measureKind: MeasureKind;
  caseNumber: string;
  courtCode: string;
  debtor: { kind: DebtorKind; idNumber: string; name: string };
  /** The registry's identifier: certificate number, plate. */
  assetIdentifier: string;
  /** First and last day in force (YYYY-MM-DD); for RENEW, `to` is the new last day. */
  from?: string;
  to?: string;
  amount?: Yuan;
  /** WITHHOLD: what the payer withholds each month, within 民事诉讼法 2023 art. 254's limit. */
  monthlyAmount?: Yuan;
  /**
   * For RELEASE and RENEW: the idempotency key of the APPLY request that created the measure;
   * for a DEDUCT, that of the freeze it draws on.
   */
  measureRef?: string;
  /** 协助执行通知书 */
  notice: { number: string; date: string };
  decision: { number: string; date: string; judges: string[] };
  officer: string;
  callbackUrl: string;
}

export type ControlOutcome =
  /** In force from the given time, with the agency's registration reference. */
  | { kind: "EFFECTIVE"; effectiveFrom: string; reference: string; raw: string }
  /** 轮候: registered behind earlier measures on the same asset. */
  | { kind: "QUEUED"; rank: number; raw: string }
  | { kind: "RELEASED"; releasedAt: string; raw: string }
  | { kind: "RENEWED"; to: string; raw: string }
  | { kind: "REFUSED"; reason: string; raw: string }
  | { kind: "PENDING"; ticket: string; pollAfterMs: number; raw: string };

/** An agency's later report about a measure: a queued measure took effect, or the answer to a control request. */
export type MeasureReport = TookEffectReport | ControlAnswerReport | WithheldReport;

/** A queued measure took effect after an earlier one was released or lapsed (查扣冻规定 2020 art. 26). */
export interface TookEffectReport {
  /** The idempotency key of the APPLY request that created the measure. */
  measureRef: string;
  event: "TOOK_EFFECT";
  effectiveFrom: string;
  reference: string;
}

/** An agency that answers control requests asynchronously (a bank) delivers the answer as a report. */
export interface ControlAnswerReport {
  event: "ANSWERED";
  /** The idempotency key of the control request answered. */
  idempotencyKey: string;
  outcome: ControlOutcome;
}

/** A payer withheld a month's income under a withholding order (扣留、提取收入): the court's money, toward the claim. */
export interface WithheldReport {
  event: "WITHHELD";
  /** The idempotency key of the APPLY request of the WITHHOLD measure. */
  measureRef: string;
  /** YYYY-MM: one report per month and order; a repeat changes nothing. */
  month: string;
  amount: Yuan;
  /** The day it was taken from the income (提取之日), YYYY-MM-DD. */
  withheldOn: string;
  /** The payer's reference of the transfer. */
  reference: string;
}

/** Agencies that carry out measures implement this beside AgencyConnector. */
export interface ControlConnector {
  readonly measureKinds: readonly MeasureKind[];
  /** What the agency holds and acts on: an order on another category of asset is not for it. */
  readonly assetCategories: readonly AssetCategory[];
  control(call: ControlCall, ctx: ConnectorContext): Promise<ControlOutcome>;
  /** Verify and decode a signed report the agency POSTed to the hub's callback address. */
  acceptMeasureReport(body: string, headers: Record<string, string | undefined>, ctx: ConnectorContext): MeasureReport;
  /** As AgencyConnector.recall, for a control request. */
  recallControl?(call: ControlCall, ctx: ConnectorContext): Promise<ControlOutcome | undefined>;
}

export function canControl(connector: AgencyConnector): connector is AgencyConnector & ControlConnector {
  return typeof (connector as Partial<ControlConnector>).control === "function";
}

/* ---------------------------------------------------------------- police assistance (公安协助, Henan enforcement decision (2020)) */

/** 查找被执行人, 临时控制, 查扣车辆, 限制出境 and 解除限制出境. */
export type AssistanceKind = PoliceAssistanceKind;

/** What the hub asks the police to do about one debtor of one case. */
export interface AssistanceCall {
  idempotencyKey: string;
  kind: AssistanceKind;
  caseNumber: string;
  courtCode: string;
  debtor: { kind: DebtorKind; idNumber: string; name: string };
  /** SEIZE_VEHICLE: the plate. */
  plate?: string;
  /** RESTRICT_EXIT: first and last day (YYYY-MM-DD). */
  from?: string;
  until?: string;
  /** LIFT_EXIT_RESTRICTION: the idempotency key of the RESTRICT_EXIT request. */
  restrictionRef?: string;
  decision: { number: string; date: string; judges: string[] };
  officer: string;
  callbackUrl: string;
}

export type AssistanceOutcome =
  /** Taken on; the result follows in a signed report. */
  { kind: "ACCEPTED"; reference: string; raw: string } | { kind: "REFUSED"; reason: string; raw: string };

/** The police's later, signed report of what came of a request. */
export interface AssistanceReport {
  /** The idempotency key of the request reported on. */
  requestKey: string;
  reference: string;
  outcome: "DONE" | "UNSUCCESSFUL";
  /** When it happened (located, taken under control, seized, registered, lifted), or when the police gave up. */
  at: string;
  /** Where the debtor was located or taken under control. */
  place?: string;
  /** The police unit holding the debtor under temporary control. */
  unit?: string;
  /** Where a seized vehicle is held. */
  heldAt?: string;
  /** The border-control (边控) registration of an exit restriction or its lifting. */
  borderControlReference?: string;
  /** Why it could not be done. */
  reason?: string;
}

/** Agencies that assist with persons and vehicles (the police) implement this beside AgencyConnector. */
export interface AssistanceConnector {
  assist(call: AssistanceCall, ctx: ConnectorContext): Promise<AssistanceOutcome>;
  /** As AgencyConnector.recall, for a request for assistance. */
  recallAssistance?(call: AssistanceCall, ctx: ConnectorContext): Promise<AssistanceOutcome | undefined>;
  /** Verify and decode a signed report the agency POSTed to the hub's callback address. */
  acceptAssistanceReport(body: string, headers: Record<string, string | undefined>, ctx: ConnectorContext): AssistanceReport;
  /** Ask for the report of a request the agency took on, for when it never arrived; undefined while there is none yet. */
  assistanceStatus(requestKey: string, ctx: ConnectorContext): Promise<{ report: AssistanceReport; raw: string } | undefined>;
}

export function canAssist(connector: AgencyConnector): connector is AgencyConnector & AssistanceConnector {
  return typeof (connector as Partial<AssistanceConnector>).assist === "function";
}
