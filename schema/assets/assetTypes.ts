/** Assets found by inquiries and delegated tasks, normalised across agencies: one per asset, with its sightings. */
import { Field, Float, ID, InputType, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { date, inputRules, line } from "../common/inputRules.js";
import { Checked } from "../common/checkedInput.js";
import { AgencyKindEnum } from "../common/enums.js";

@ObjectType({ description: "A right or measure already on the asset: mortgage, seal, freeze, seizure." })
export class Encumbrance {
  @Field(() => String, { description: "MORTGAGE, SEAL, FREEZE, SEIZURE, …" }) type!: string;
  @Field(() => String) byAuthority!: string;
  @Field(() => String, { nullable: true }) reference?: string;
  @Field(() => String, { nullable: true }) since?: string;
  @Field(() => Number, { nullable: true, description: "轮候 rank, 1 = in effect" }) rank?: number;
  @Field(() => String, { nullable: true, description: "yuan it secures (a mortgage's secured claim), where the agency reports it" })
  amount?: string;
}

@ObjectType({ description: "One finding of an asset: when, by which inquiry part or delegated task, and what the agency said then." })
export class AssetSighting {
  @Field(() => Date) seenAt!: Date;
  @Field(() => ID, { nullable: true, description: "the inquiry part (agency request) that saw it" }) inquiryPartId?: string | null;
  @Field(() => ID, { nullable: true, description: "the delegated task (事项委托) whose results reported it" })
  delegatedTaskId?: string | null;
  @Field(() => String, { description: "the registry identifier it was reported under then" }) identifier!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true, description: "estimated value in yuan then, decimal string" }) estimatedValue?: string | null;
  @Field(() => [Encumbrance], { description: "mortgages and other courts' seals the agency reported then" })
  encumbrances!: Encumbrance[];
}

@InterfaceType({
  description: "财产: something a debtor holds that can be controlled. Concrete types carry the registry's own fields.",
  resolveType: (value: { type: string }) =>
    ({
      REAL_ESTATE: "RealEstateAsset",
      VEHICLE: "VehicleAsset",
      DEPOSIT_ACCOUNT: "DepositAccountAsset",
      EQUITY: "EquityAsset",
      SECURITIES: "SecuritiesAsset",
      INCOME: "IncomeSource",
      PROVIDENT_FUND_ACCOUNT: "ProvidentFundAccountAsset",
      PAYMENT_ACCOUNT: "PaymentAccountAsset",
    })[value.type] ?? "OtherAsset",
})
export abstract class Asset {
  @Field(() => ID) id!: string;
  @Field(() => AgencyKindEnum, { description: "the agency that reported it" }) agency!: AgencyKindEnum;
  @Field(() => String, { description: "registry identifier: certificate number, plate, …" }) identifier!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true, description: "estimated value in yuan, decimal string" }) estimatedValue?: string | null;
  @Field(() => [Encumbrance]) encumbrances!: Encumbrance[];
  @Field(() => Date, { description: "when it was first found" }) foundAt!: Date;
  @Field(() => ID, {
    nullable: true,
    description: "the inquiry part (agency request), or the delegated task (事项委托), that first found it; null if no longer on record",
  })
  foundBy?: string | null;
  @Field(() => Date, { description: "when an agency last reported it; the fields above are what it said then" }) lastSeenAt!: Date;
  @Field(() => [AssetSighting], { description: "every finding of this asset, oldest first" }) sightings!: AssetSighting[];
  type!: string;
}

/*
 * The registry's own fields of real estate, vehicles and other property are declared once, for the asset as
 * the hub shows it and for the asset a court reports from a delegated task (FoundAssetInput in delegation.ts):
 * each class is also an input type, under its own name. The Asset fields are not declared here: type-graphql
 * copies an interface's fields into every object type that names it in `implements`, and leaves them out of
 * the input type.
 */

@ObjectType({ implements: Asset, description: "不动产" })
@InputType("RealEstateResultInput")
export class RealEstateAsset {
  @Checked(line(60))
  @Field(() => String)
  certificateNumber!: string;
  @Checked(line(300))
  @Field(() => String)
  address!: string;
  @Field(() => Float) areaSquareMetres!: number;
  @Checked(line(50))
  @Field(() => String)
  usage!: string;
  @Checked(line(50))
  @Field(() => String)
  ownershipShare!: string;
}

@ObjectType({ implements: Asset, description: "机动车" })
@InputType("VehicleResultInput")
export class VehicleAsset {
  @Checked(inputRules.plateNumber)
  @Field(() => String)
  plateNumber!: string;
  @Checked(line(17))
  @Field(() => String)
  vin!: string;
  @Checked(line(50))
  @Field(() => String)
  brand!: string;
  @Checked(line(50))
  @Field(() => String)
  model!: string;
  @Checked(line(20))
  @Field(() => String)
  colour!: string;
  @Checked(date({ notBefore: "1950-01-01", daysAhead: 0 }))
  @Field(() => String)
  registeredOn!: string;
}

@ObjectType({
  implements: Asset,
  description:
    "银行存款账户, as the bank reported it when asked; estimatedValue is the balance not yet frozen, what a new freeze could hold.",
})
export class DepositAccountAsset extends Asset {
  @Field(() => String) accountNumber!: string;
  @Field(() => String) bank!: string;
  @Field(() => String, { description: "the branch that keeps the account" }) branch!: string;
  @Field(() => String, { description: "e.g. CNY" }) currency!: string;
  @Field(() => String, { description: "yuan, decimal string" }) balance!: string;
  @Field(() => String, { description: "yuan already frozen on the account, by any court" }) frozenAmount!: string;
}

@ObjectType({
  implements: Asset,
  description:
    "股权: a stake in a company as the enterprise register records the shareholder; estimatedValue is the capital paid in. " +
    "Frozen (冻结) as another property right, at most 3 years (民诉法解释 art. 485).",
})
export class EquityAsset extends Asset {
  @Field(() => String) companyName!: string;
  @Field(() => String, { description: "the company's unified social credit code" }) uscc!: string;
  @Field(() => String, { description: "the stake, percent of the registered capital" }) sharePercent!: string;
  @Field(() => String, { description: "capital subscribed (认缴), yuan" }) subscribedCapital!: string;
  @Field(() => String, { description: "capital paid in (实缴), yuan" }) paidCapital!: string;
}

@ObjectType({
  implements: Asset,
  description:
    "证券、基金份额: a position in one security or fund in one account, as the securities depository (证券登记结算) reports it; " +
    "identifier is account/code, estimatedValue the market value. Frozen (冻结) as another property right, at most 3 years " +
    "(民诉法解释 art. 485), and deducted (划拨): sold, and the proceeds transferred to the court (民事诉讼法 art. 253).",
})
export class SecuritiesAsset extends Asset {
  @Field(() => String, { description: "the securities account (证券账户) or fund account (基金账户)" }) accountNumber!: string;
  @Field(() => String, { description: "SH 上海, SZ 深圳, OF 开放式基金" }) market!: string;
  @Field(() => String, { description: "the securities or fund company branch that keeps the account" }) custodian!: string;
  @Field(() => String) securityCode!: string;
  @Field(() => String) securityName!: string;
  @Field(() => String, { description: "STOCK 股票, BOND 债券, FUND 基金份额" }) securityKind!: string;
  @Field(() => String, { description: "shares, bonds, or fund share units (基金份额), decimal string" }) quantity!: string;
  @Field(() => String, { description: "closing price, or a fund's net asset value (净值) per unit, yuan" }) unitPrice!: string;
  @Field(() => String, { description: "the day the price or NAV is of" }) pricedOn!: string;
  @Field(() => String, { description: "quantity times price, yuan" }) marketValue!: string;
}

export enum IncomeKindEnum {
  WAGE = "WAGE",
  PENSION = "PENSION",
}
registerEnumType(IncomeKindEnum, {
  name: "IncomeKind",
  valuesConfig: { WAGE: { description: "工资: paid by an employer" }, PENSION: { description: "基本养老金" } },
});

@ObjectType({
  implements: Asset,
  description:
    "收入: a wage or pension paid each month, as the social insurance agency (人社) knows it; no value of its own. " +
    "Withheld (扣留、提取) each month by a WITHHOLD measure, leaving the debtor's and dependants' necessities (民事诉讼法 2023 art. 254). " +
    "Encumbrances are other courts' withholding orders, with their monthly amounts.",
})
export class IncomeSource extends Asset {
  @Field(() => IncomeKindEnum) incomeKind!: IncomeKindEnum;
  @Field(() => String, { description: "the employer, or the fund paying the pension" }) payerName!: string;
  @Field(() => String, { description: "the payer's number at the agency (单位编号)" }) payerCode!: string;
  @Field(() => String, { description: "yuan a month: the wage base declared (缴费工资), or the pension paid" }) monthlyAmount!: string;
  @Field(() => String, { description: "first month paid, YYYY-MM" }) since!: string;
}

@ObjectType({
  implements: Asset,
  description:
    "住房公积金账户, as the centre reported it; estimatedValue is the balance not yet frozen. Frozen like a deposit (at most 1 year, " +
    "民诉法解释 art. 485); deducted only on a withdrawal ground the centre reports, leaving the necessities the order states.",
})
export class ProvidentFundAccountAsset extends Asset {
  @Field(() => String) accountNumber!: string;
  @Field(() => String, { description: "the centre (住房公积金管理中心) that keeps the account" }) centre!: string;
  @Field(() => String, { description: "yuan, decimal string" }) balance!: string;
  @Field(() => String, { description: "paid in each month by worker and employer together, yuan" }) monthlyContribution!: string;
  @Field(() => String, { description: "NORMAL 正常缴存, SUSPENDED 封存, CLOSED 销户" }) status!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "withdrawal ground on file (住房公积金管理条例 art. 24): HOUSING, RETIREMENT, INCAPACITY, EMIGRATION, LOAN_REPAYMENT, RENT",
  })
  withdrawalGround?: string;
  @Field(() => String, { description: "yuan already frozen on the account, by any court" }) frozenAmount!: string;
}

@ObjectType({
  implements: Asset,
  description:
    "网络支付账户余额 held by a payment institution; estimatedValue is the balance not yet frozen. Frozen and deducted like a deposit.",
})
export class PaymentAccountAsset extends Asset {
  @Field(() => String) accountNumber!: string;
  @Field(() => String, { description: "the payment institution, e.g. 支付宝（中国）网络技术有限公司" }) institution!: string;
  @Field(() => String, { description: "yuan, decimal string" }) balance!: string;
  @Field(() => String, { description: "yuan already frozen on the account, by any court" }) frozenAmount!: string;
}

@ObjectType({ implements: Asset, description: "Other attachable property, e.g. a tax refund due (应退税款)." })
@InputType("OtherAssetResultInput")
export class OtherAsset {
  @Checked(line(50))
  @Field(() => String)
  category!: string;
  @Checked(inputRules.personName)
  @Field(() => String)
  holder!: string;
}
