/**
 * Everything the sandbox agencies "hold" about a debtor, derived
 * deterministically from the debtor's ID number: the same ID always yields the
 * same flats, vehicles, equity, household record, tax record and sanctions, so tests
 * and demos are repeatable without a database. Times that real agencies report
 * relative to today (whereabouts, recent tax periods, sanctions) are derived
 * from `now`, which tests pin.
 */
import { completeCreditCode, completeResidentId, debtorIdKind, divisionCodeOf, type DebtorIdKind } from "./idNumbers.js";
import { isCountyLevel, localCourtOf, localityOf, randomHenanLocality, regionName, type Locality } from "./divisions.js";
import { SeededRandom } from "./seededRandom.js";

export interface Encumbrance {
  type: "MORTGAGE" | "SEAL" | "SEIZURE" | "FREEZE" | "PLEDGE";
  authority: string;
  reference: string;
  since: string;
  rank: number;
  /** A mortgage's secured claim (被担保主债权数额), yuan, as the register records it. */
  amount?: string;
}

export interface Flat {
  certificateNumber: string;
  address: string;
  /** Where the flat is: local (点对点) registries hold only their own division's flats. */
  divisionCode: string;
  areaSquareMetres: number;
  usage: "住宅" | "商业";
  share: string;
  /** Decimal yuan. */
  appraisal: string;
  encumbrances: Encumbrance[];
}

export interface Vehicle {
  plate: string;
  vin: string;
  make: string;
  model: string;
  colour: string;
  firstRegistered: string;
  /** Where the vehicle is registered: local vehicle offices hold only their own. */
  divisionCode: string;
  /** Decimal yuan. */
  valuation: string;
  restrictions: Encumbrance[];
}

export interface DepositAccount {
  /** 19 digits for a person's debit card (62…), 15–17 for an organisation's basic account. */
  accountNumber: string;
  bank: string;
  /** The branch that keeps the account. */
  branch: string;
  /** Where the branch is: banks answer on the national channel (总对总) only, so this is for display. */
  divisionCode: string;
  currency: "CNY";
  /** Decimal yuan. */
  balance: string;
}

/** A stake (股权) in a company as the enterprise register (企业登记) records its shareholder. */
export interface EquityHolding {
  companyName: string;
  /** The company's unified social credit code. */
  uscc: string;
  /** Where the company is registered: a local (点对点) market regulator holds only its own division's companies. */
  divisionCode: string;
  /** Percentage of the registered capital, two decimals. */
  sharePercent: string;
  /** Decimal yuan: what the shareholder subscribed (认缴) and has paid in (实缴). */
  subscribedCapital: string;
  paidCapital: string;
  /** Pledges (股权出质) and other courts' freezes, as published in the enterprise credit system. */
  encumbrances: Encumbrance[];
}

/** A position (持仓) at the securities depository (证券登记结算): one security or fund in one account. */
export interface SecuritiesPosition {
  /** Six digits: the security's or the fund's code. */
  code: string;
  name: string;
  kind: "STOCK" | "BOND" | "FUND";
  /** Shares and bonds whole; fund share units (基金份额) to two decimals. */
  quantity: string;
  /** The last closing price (two decimals), or the fund's NAV (净值, four decimals), yuan. */
  unitPrice: string;
  /** The trading day the price is of. */
  pricedOn: string;
  /** Quantity times price, decimal yuan. */
  marketValue: string;
  /** Pledges (质押) and other courts' freezes, as the depository records them. */
  encumbrances: Encumbrance[];
}

/** A securities account (证券账户) or fund account (基金账户) and what it holds. */
export interface SecuritiesAccount {
  /** SH: A + 9 digits; SZ: 0 + 9 digits; open-end fund (OF): F + 11 digits. */
  accountNumber: string;
  market: "SH" | "SZ" | "OF";
  /** The securities company's branch (营业部) or the fund company that keeps it. */
  custodian: string;
  /** Where the account was opened: a local (点对点) depository office answers for its own division's. */
  divisionCode: string;
  positions: SecuritiesPosition[];
}

/** A housing provident fund account (住房公积金) at the centre of the city where the debtor works. */
export interface ProvidentFundAccount {
  /** 12 digits: the centre's personal account number. */
  accountNumber: string;
  /** 住房公积金管理中心 of the city. */
  centre: string;
  /** A local (点对点) centre answers for its own city's accounts. */
  divisionCode: string;
  /** Decimal yuan. */
  balance: string;
  /** Decimal yuan paid in each month, worker and employer together; "0.00" once the account is suspended. */
  monthlyContribution: string;
  /** NORMAL 正常缴存, SUSPENDED 封存 (retired, or left the employer). */
  status: "NORMAL" | "SUSPENDED";
  /** The withdrawal ground (住房公积金管理条例 art. 24) on the centre's file: retirement by age, or repaying a home loan. */
  withdrawalGround: "RETIREMENT" | "LOAN_REPAYMENT" | undefined;
}

/** A balance a payment institution (网络支付机构) holds for the debtor. */
export interface PaymentAccount {
  /** The institution's account number: 2088… (16 digits) at 支付宝, 10 digits at 财付通. */
  accountNumber: string;
  institution: string;
  /** The debtor's home: payment institutions answer nationally, a local channel for the debtor's own division. */
  divisionCode: string;
  /** Decimal yuan. */
  balance: string;
}

/** A registration at the marriage register (婚姻登记). */
export interface MarriageRegistration {
  kind: "MARRIAGE" | "DIVORCE";
  registeredOn: string;
  /** The civil affairs bureau that registered it. */
  authority: string;
  /** Local (点对点) registers answer for their own division's registrations. */
  divisionCode: string;
  spouseName: string;
  spouseIdNumber: string;
}

/** Income the social insurance agency (人社) knows a person is paid each month: a wage it collects contributions on, or a pension. */
export interface IncomeSource {
  kind: "WAGE" | "PENSION";
  /** The payer's number at the agency (单位编号, aab001): the employer, or the pension fund that pays. */
  payerCode: string;
  payerName: string;
  /** Where the payer is insured: a local (点对点) agency answers only for its own division's payers. */
  divisionCode: string;
  /** Decimal yuan a month: the wage base (缴费工资) declared, or the pension paid. */
  monthlyAmount: string;
  /** First month paid, YYYY-MM. */
  since: string;
  /** Other courts' withholding orders already on it. */
  withholdings: { court: string; noticeNumber: string; monthlyAmount: string; since: string }[];
}

export interface Whereabout {
  /** ISO-8601, Beijing time. */
  time: string;
  place: string;
  type: "HOTEL" | "RAIL" | "FLIGHT" | "INTERNET_CAFE";
}

export interface HouseholdRecord {
  sex: "MALE" | "FEMALE";
  birthDate: string;
  householdAddress: string;
  registrationAuthority: string;
  /**
   * The sandbox does not know names, so it registers the name the court gave,
   * except that for a few debtors the last character differs (a 同音字 typo at
   * registration), so connectors meet name mismatches. Null when names match.
   */
  differingLastCharacter: string | null;
  whereabouts: Whereabout[];
}

export interface TaxPayment {
  period: string;
  taxType: string;
  /** Decimal yuan. */
  amount: string;
}

export interface TaxProfile {
  /** Holds a tax registration (税务登记): every organisation, persons running a business. */
  registered: boolean;
  status: "正常" | "非正常";
  authority: string;
  payments: TaxPayment[];
  /** Decimal yuan, "0.00" when nothing is due. */
  refundsDue: string;
  /** The bureau's number for the refund due (a freeze names it); undefined when nothing is due. */
  refundNumber: string | undefined;
}

export interface Sanction {
  listType: "DISHONEST_DEBTOR" | "CONSUMPTION_RESTRICTION" | "TAX_BLACKLIST";
  authority: string;
  docNo: string;
  since: string;
  /** Absent for measures without a fixed term (a consumption restriction lasts until lifted). */
  until?: string;
}

export interface DebtorProfile {
  idNumber: string;
  kind: DebtorIdKind;
  /** Where the ID says the debtor belongs. */
  home: Locality;
  flats: Flat[];
  vehicles: Vehicle[];
  accounts: DepositAccount[];
  equities: EquityHolding[];
  /** Securities and fund accounts at the depository, in account number order. */
  securities: SecuritiesAccount[];
  /** Persons only: the provident fund is a worker's own. */
  providentFund: ProvidentFundAccount[];
  paymentAccounts: PaymentAccount[];
  /** Persons only, oldest first: a marriage, perhaps its divorce and a remarriage. */
  marriages: MarriageRegistration[];
  /** Persons only: the wage an employer pays, or the pension (the social insurance agency's view). */
  incomes: IncomeSource[];
  /** Persons only, and not for the few the police hold no record of. */
  household?: HouseholdRecord;
  tax: TaxProfile;
  sanctions: Sanction[];
}

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Every agency's view of one debtor. Throws a TypeError for an ID that fails its check character. */
export function debtorProfile(idNumber: string, now: Date = new Date()): DebtorProfile {
  const kind = debtorIdKind(idNumber);
  if (!kind) throw new TypeError(`not a valid resident ID or credit code: ${idNumber}`);
  const stream = (topic: string) => new SeededRandom(`${idNumber}#${topic}`);
  const home = localityOf(divisionCodeOf(idNumber), stream("home"));
  const { flatCount, vehicleCount } = holdingCounts(kind, stream("holdings"));
  const sanctions = sanctionsOf(kind, home, now, stream("sanctions"));
  return {
    idNumber,
    kind,
    home,
    flats: Array.from({ length: flatCount }, (_, i) => flatOf(kind, home, now, stream(`flat${i}`))),
    vehicles: Array.from({ length: vehicleCount }, (_, i) => vehicleOf(kind, home, now, stream(`vehicle${i}`))),
    accounts: accountsOf(kind, home, stream("accounts")),
    equities: equitiesOf(kind, home, now, stream("equities")),
    securities: securitiesOf(kind, home, now, stream("securities")),
    providentFund: kind === "PERSON" ? providentFundOf(idNumber, home, now, stream("providentFund")) : [],
    paymentAccounts: paymentAccountsOf(kind, home, stream("paymentAccounts")),
    marriages: kind === "PERSON" ? marriagesOf(idNumber, home, now, stream("marriages")) : [],
    incomes: kind === "PERSON" ? incomesOf(idNumber, home, now, stream("incomes")) : [],
    // The police keep household records of residents only, not of a foreigner known by a passport.
    household:
      kind === "PERSON" && /^\d{17}[\dX]$/.test(idNumber) ? householdOf(idNumber, home, sanctions, now, stream("household")) : undefined,
    tax: taxOf(kind, home, now, stream("tax")),
    sanctions,
  };
}

/**
 * The `n`th flat a debtor comes to own after the profile was first read (n = 1, 2, …): registered with the
 * registry through its sandbox control route, so a later inquiry finds property the first one did not (the
 * re-inquiries of a 终本 case). Deterministic from the ID and `n`, like the rest of the profile.
 */
export function acquiredFlat(idNumber: string, n: number, now: Date = new Date()): Flat {
  const profile = debtorProfile(idNumber, now);
  return flatOf(profile.kind, profile.home, now, new SeededRandom(`${idNumber}#acquired${n}`));
}

/**
 * debtorProfile(idNumber, now), memoised for read-only callers (the police,
 * the credit platform and the tax bureau answer from it on every request). A
 * profile depends on `now` only through whole seconds (every time it reports
 * is a whole number of seconds, days or months before `now`, and dates change
 * only on whole seconds), so entries are keyed by ID and second and a cached
 * profile equals a fresh one. Callers must not modify it: registers that
 * record measures against a debtor's holdings keep calling debtorProfile.
 * Bounded: the least recently used entry goes once MAX_CACHED is reached.
 */
export function cachedDebtorProfile(idNumber: string, now: Date = new Date()): DebtorProfile {
  const key = `${idNumber}@${Math.floor(now.getTime() / 1000)}`;
  const cached = profileCache.get(key);
  if (cached) {
    profileCache.delete(key);
    profileCache.set(key, cached);
    return cached;
  }
  const profile = debtorProfile(idNumber, now);
  if (profileCache.size >= MAX_CACHED) profileCache.delete(profileCache.keys().next().value!);
  profileCache.set(key, profile);
  return profile;
}

const MAX_CACHED = 10_000;
const profileCache = new Map<string, DebtorProfile>();

/** The name on the police record for a court-supplied name. */
export function registeredName(household: HouseholdRecord, requestedName: string): string {
  if (!household.differingLastCharacter) return requestedName;
  return requestedName.slice(0, -1) + household.differingLastCharacter;
}

function holdingCounts(kind: DebtorIdKind, random: SeededRandom): { flatCount: number; vehicleCount: number } {
  // About one debtor in five has neither flat nor vehicle: the common "无财产可供执行" case.
  if (random.chance(0.2)) return { flatCount: 0, vehicleCount: 0 };
  const flatCount = kind === "PERSON" ? random.weighted([30, 45, 20, 5]) : random.weighted([25, 35, 25, 10, 5]);
  const vehicleCount = kind === "PERSON" ? random.weighted([35, 50, 15]) : random.weighted([20, 30, 25, 15, 6, 4]);
  if (flatCount + vehicleCount > 0) return { flatCount, vehicleCount };
  return random.chance(0.5) ? { flatCount: 1, vehicleCount: 0 } : { flatCount: 0, vehicleCount: 1 };
}

// ---------------------------------------------------------------- real estate

const STREETS = [
  "人民路",
  "建设路",
  "中山路",
  "解放路",
  "文化路",
  "黄河路",
  "金明大道",
  "迎宾路",
  "滨河路",
  "新华路",
  "工业路",
  "长江路",
  "嵩山路",
  "光明路",
  "大学路",
];
const COMPOUNDS = [
  "锦绣花园",
  "阳光小区",
  "建业森林半岛",
  "碧桂园",
  "正商城",
  "恒大名都",
  "鑫苑名家",
  "御景湾",
  "东方今典",
  "万科城",
  "金色家园",
  "幸福里",
];
const PLAZAS = ["万达广场", "商务中心", "国贸大厦", "财富广场", "建业凯旋广场", "金融中心"];
const BANKS = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行"];
const SHARES = ["单独所有", "共同共有", "按份共有(50%)"];

function flatOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): Flat {
  const locality = random.chance(0.7) ? home : randomHenanLocality(random);
  const commercial = kind === "ORGANISATION" || random.chance(0.08);
  const year = now.getUTCFullYear() - random.int(1, 9);
  const registry = isCountyLevel(locality) ? locality.districtName : locality.cityName;
  const area = commercial
    ? random.int(kind === "ORGANISATION" ? 80 : 30, kind === "ORGANISATION" ? 2000 : 300) + random.int(0, 9) / 10
    : random.int(55, 180) + random.int(0, 9) / 10;
  const pricePerSquareMetre = locality.pricePerSquareMetre * (commercial ? 1.4 : 1) * (0.8 + random.next() * 0.4);
  const street = `${random.pick(STREETS)}${random.int(1, 299)}号`;
  const address = commercial
    ? `${regionName(locality)}${street}${random.pick(PLAZAS)}${random.int(1, 25)}层${random.int(1, 30)}号`
    : `${regionName(locality)}${street}${random.pick(COMPOUNDS)}${random.int(1, 30)}号楼` +
      `${random.int(1, 4)}单元${random.int(1, 33)}${String(random.int(1, 4)).padStart(2, "0")}室`;
  const encumbrances: Encumbrance[] = [];
  if (random.chance(0.4)) {
    encumbrances.push({
      type: "MORTGAGE",
      authority: `${random.pick(BANKS)}股份有限公司${locality.cityName.replace(/市$/, "")}分行`,
      reference: `${locality.provinceAbbr}(${year})${registry}不动产证明第${random.digits(7)}号`,
      since: dateIn(year, random),
      rank: 1,
      // Half the flat's worth: a loan partly repaid. Drawn from no random number, so every other profile stays as it was.
      amount: yuan(roundTo(area * pricePerSquareMetre * 0.5, 1000)),
    });
  }
  if (random.chance(0.06)) encumbrances.push(sealByAnotherCourt(year, now, random));
  return {
    certificateNumber: `${locality.provinceAbbr}(${year})${registry}不动产权第${random.digits(7)}号`,
    address,
    divisionCode: locality.divisionCode,
    areaSquareMetres: area,
    usage: commercial ? "商业" : "住宅",
    share: kind === "ORGANISATION" ? "单独所有" : SHARES[random.weighted([60, 30, 10])],
    appraisal: yuan(roundTo(area * pricePerSquareMetre, 1000)),
    encumbrances,
  };
}

/** Another creditor's court got there first: the hub's own seal will queue behind this one. */
function sealByAnotherCourt(sinceYear: number, now: Date, random: SeededRandom): Encumbrance {
  const court = localCourtOf(randomHenanLocality(random));
  const year = random.int(sinceYear, now.getUTCFullYear());
  return {
    type: "SEAL",
    authority: court.name,
    reference: `（${year}）${court.code}执${random.int(100, 9999)}号`,
    since: dateIn(year, random),
    rank: 1,
  };
}

// ---------------------------------------------------------------- deposits

/** Most debtors' accounts hold little; a few hold enough to satisfy a claim, as the courts find. */
function accountsOf(kind: DebtorIdKind, home: Locality, random: SeededRandom): DepositAccount[] {
  const count = kind === "PERSON" ? random.weighted([10, 45, 30, 15]) : random.weighted([5, 40, 35, 20]);
  return Array.from({ length: count }, () => {
    const bank = random.pick(BANKS);
    const cents = random.chance(0.4)
      ? random.int(0, 50_000)
      : random.chance(0.6)
        ? random.int(100_000, 5_000_000)
        : random.int(5_000_000, kind === "PERSON" ? 50_000_000 : 500_000_000);
    return {
      accountNumber: kind === "PERSON" ? `62${random.digits(17)}` : `${random.int(1, 9)}${random.digits(15)}`,
      bank,
      branch: `${bank}股份有限公司${home.cityName.replace(/市$/, "")}分行`,
      divisionCode: home.divisionCode,
      currency: "CNY",
      balance: (cents / 100).toFixed(2),
    };
  });
}

// ---------------------------------------------------------------- equity (企业登记)

const COMPANY_TRADES = ["商贸", "建筑工程", "农业科技", "物流", "食品", "机械制造", "置业", "电子科技", "文化传媒", "家具"];
const COMPANY_NAMES = ["鑫源", "华丰", "中原", "兴业", "宏达", "金桥", "恒信", "瑞祥", "众诚", "天润"];
const CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

function equitiesOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): EquityHolding[] {
  const count = kind === "PERSON" ? random.weighted([70, 22, 8]) : random.weighted([45, 30, 15, 10]);
  return Array.from({ length: count }, () => {
    const locality = random.chance(0.75) ? home : randomHenanLocality(random);
    const registeredCapital = random.pick([100_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000]);
    const share = random.pick([10, 15, 20, 25, 30, 34, 40, 49, 51, 60, 70, 100]);
    const subscribed = (registeredCapital * share) / 100;
    const paid = random.chance(0.4) ? subscribed : roundTo(subscribed * random.next(), 1_000);
    const place = locality.districtName || locality.cityName;
    const year = now.getUTCFullYear() - random.int(1, 10);
    const encumbrances: Encumbrance[] = [];
    if (random.chance(0.15)) {
      encumbrances.push({
        type: "PLEDGE",
        authority: `${random.pick(BANKS)}股份有限公司${locality.cityName.replace(/市$/, "")}分行`,
        reference: `${locality.cityName.replace(/市$/, "")}市监股质登字[${year}]第${random.digits(4)}号`,
        since: dateIn(year, random),
        rank: 1,
      });
    }
    if (random.chance(0.06)) encumbrances.push({ ...sealByAnotherCourt(year, now, random), type: "FREEZE" });
    return {
      companyName: `${place.replace(/[市县区]$/, "")}${random.pick(COMPANY_NAMES)}${random.pick(COMPANY_TRADES)}有限公司`,
      uscc: completeCreditCode(`91${locality.divisionCode}${random.chars(CREDIT_CHARS, 9)}`),
      divisionCode: locality.divisionCode,
      sharePercent: share.toFixed(2),
      subscribedCapital: yuan(subscribed),
      paidCapital: yuan(paid),
      encumbrances,
    };
  });
}

// ---------------------------------------------------------------- securities and fund shares (证券登记结算)

interface Listed {
  code: string;
  name: string;
  kind: SecuritiesPosition["kind"];
  /** A typical price or NAV, yuan; each profile's is within 15% of it. */
  price: number;
}

const SH_LISTED: Listed[] = [
  { code: "600036", name: "招商银行", kind: "STOCK", price: 35 },
  { code: "601318", name: "中国平安", kind: "STOCK", price: 45 },
  { code: "601398", name: "工商银行", kind: "STOCK", price: 6 },
  { code: "600028", name: "中国石化", kind: "STOCK", price: 6 },
  { code: "600900", name: "长江电力", kind: "STOCK", price: 28 },
  { code: "603993", name: "洛阳钼业", kind: "STOCK", price: 8 },
  { code: "600519", name: "贵州茅台", kind: "STOCK", price: 1600 },
  { code: "019688", name: "22国债23", kind: "BOND", price: 101 },
];
const SZ_LISTED: Listed[] = [
  { code: "000001", name: "平安银行", kind: "STOCK", price: 11 },
  { code: "000333", name: "美的集团", kind: "STOCK", price: 70 },
  { code: "000858", name: "五粮液", kind: "STOCK", price: 130 },
  { code: "002714", name: "牧原股份", kind: "STOCK", price: 40 },
  { code: "000895", name: "双汇发展", kind: "STOCK", price: 27 },
  { code: "300750", name: "宁德时代", kind: "STOCK", price: 200 },
];
const FUNDS: { company: string; funds: Listed[] }[] = [
  {
    company: "易方达基金管理有限公司",
    funds: [
      { code: "110022", name: "易方达消费行业股票", kind: "FUND", price: 3.5 },
      { code: "005827", name: "易方达蓝筹精选混合", kind: "FUND", price: 1.8 },
    ],
  },
  {
    company: "招商基金管理有限公司",
    funds: [{ code: "161725", name: "招商中证白酒指数(LOF)A", kind: "FUND", price: 1.0 }],
  },
  {
    company: "华夏基金管理有限公司",
    funds: [
      { code: "000001", name: "华夏成长混合", kind: "FUND", price: 1.1 },
      { code: "000011", name: "华夏大盘精选混合A", kind: "FUND", price: 18 },
    ],
  },
];
const BROKERS = ["中原证券股份有限公司", "国泰君安证券股份有限公司", "华泰证券股份有限公司", "中信证券股份有限公司"];

/**
 * Persons often hold a Shanghai and a Shenzhen account at one broker, perhaps a fund account; organisations seldom
 * hold any. Drawn from its own stream, so every other holding of a profile stays as it was.
 */
function securitiesOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): SecuritiesAccount[] {
  const brokerage = kind === "PERSON" ? random.weighted([55, 10, 25]) : random.weighted([80, 10, 10]);
  const fundAccounts = kind === "PERSON" ? random.weighted([70, 20, 10]) : random.weighted([90, 10]);
  const locality = random.chance(0.8) ? home : randomHenanLocality(random);
  const broker = `${random.pick(BROKERS)}${locality.cityName}${random.pick(STREETS)}证券营业部`;
  const pricedOn = lastTradingDay(now);
  const accounts: SecuritiesAccount[] = [];
  const account = (accountNumber: string, market: SecuritiesAccount["market"], custodian: string, listed: Listed[], count: number) =>
    accounts.push({
      accountNumber,
      market,
      custodian,
      divisionCode: locality.divisionCode,
      positions: distinct(listed, count, random).map((security) => positionOf(security, pricedOn, now, random)),
    });
  if (brokerage >= 1) account(`A${random.digits(9)}`, "SH", broker, SH_LISTED, random.int(1, 3));
  if (brokerage >= 1 && random.chance(0.8)) account(`0${random.digits(9)}`, "SZ", broker, SZ_LISTED, random.int(1, 3));
  if (brokerage === 2) account(`A${random.digits(9)}`, "SH", `${random.pick(BROKERS)}郑州金水路证券营业部`, SH_LISTED, 1);
  for (const { company, funds } of distinct(FUNDS, fundAccounts, random)) {
    account(`F${random.digits(11)}`, "OF", company, funds, random.int(1, funds.length));
  }
  return accounts.sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : 1));
}

function positionOf(security: Listed, pricedOn: string, now: Date, random: SeededRandom): SecuritiesPosition {
  const fund = security.kind === "FUND";
  const decimals = fund ? 4 : 2;
  const price = Math.max(0.01, security.price * (0.85 + random.next() * 0.3));
  const unitPrice = price.toFixed(decimals);
  // Hundredths of a unit: shares trade in lots of 100, bonds by the 张, fund shares to two decimals.
  const hundredths =
    security.kind === "STOCK"
      ? random.int(1, security.price > 500 ? 2 : 100) * 100 * 100
      : security.kind === "BOND"
        ? random.int(10, 500) * 100
        : random.int(100_000, 20_000_000);
  const priceUnits = Math.round(Number(unitPrice) * 10_000);
  const encumbrances: Encumbrance[] = [];
  const year = now.getUTCFullYear() - random.int(0, 3);
  if (!fund && random.chance(0.1)) {
    encumbrances.push({
      type: "PLEDGE",
      authority: random.pick(BROKERS),
      reference: `ZY${year}${random.digits(8)}`,
      since: dateIn(year, random),
      rank: 1,
    });
  }
  if (random.chance(0.05)) encumbrances.push({ ...sealByAnotherCourt(year, now, random), type: "FREEZE" });
  return {
    code: security.code,
    name: security.name,
    kind: security.kind,
    quantity: fund ? (hundredths / 100).toFixed(2) : String(hundredths / 100),
    unitPrice,
    pricedOn,
    marketValue: (Math.round((hundredths * priceUnits) / 10_000) / 100).toFixed(2),
    encumbrances,
  };
}

/** `count` different items, in the order drawn. */
function distinct<T>(items: readonly T[], count: number, random: SeededRandom): T[] {
  const pool = [...items];
  return Array.from({ length: Math.min(count, pool.length) }, () => pool.splice(random.int(0, pool.length - 1), 1)[0]);
}

/** The trading day before `now`, Beijing time, weekends skipped (holidays are not modelled). */
function lastTradingDay(now: Date): string {
  let day = new Date(now.getTime() + BEIJING_OFFSET_MS - DAY_MS);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - DAY_MS);
  return day.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- income (人社: wages and pensions)

/**
 * About two persons in three are paid a wage an employer pays contributions on, or, past retirement age, a pension;
 * the rest have no income the agency knows of (farmers, the self-employed, the unemployed). A few incomes are already
 * withheld by another court.
 */
function incomesOf(idNumber: string, home: Locality, now: Date, random: SeededRandom): IncomeSource[] {
  const age = now.getUTCFullYear() - Number(idNumber.slice(6, 10));
  const retired = age >= (Number(idNumber[16]) % 2 === 1 ? 60 : 55);
  if (!random.chance(retired ? 0.7 : 0.65)) return [];
  const locality = retired || random.chance(0.8) ? home : randomHenanLocality(random);
  const place = locality.districtName || locality.cityName;
  const sinceYear = Math.max(now.getUTCFullYear() - random.int(1, 12), 2000);
  const court = localCourtOf(randomHenanLocality(random));
  const withholdings = random.chance(0.06)
    ? [
        {
          court: court.name,
          noticeNumber: `（${now.getUTCFullYear() - 1}）${court.code}执${random.int(100, 999)}号`,
          monthlyAmount: yuan(roundTo(random.int(300, 1_200), 50)),
          since: dateIn(now.getUTCFullYear() - 1, random),
        },
      ]
    : [];
  const payerCode = `${locality.divisionCode}${random.digits(8)}`;
  if (retired) {
    return [
      {
        kind: "PENSION",
        payerCode,
        payerName: `${regionName(locality)}社会保险中心`,
        divisionCode: locality.divisionCode,
        monthlyAmount: yuan(roundTo(random.int(1_600, 4_800), 10) + random.int(0, 99) / 100),
        since: `${sinceYear}-${String(random.int(1, 12)).padStart(2, "0")}`,
        withholdings,
      },
    ];
  }
  return [
    {
      kind: "WAGE",
      payerCode,
      payerName: `${place.replace(/[市县区]$/, "")}${random.pick(COMPANY_NAMES)}${random.pick(COMPANY_TRADES)}有限公司`,
      divisionCode: locality.divisionCode,
      monthlyAmount: yuan(roundTo(random.int(3_000, 15_000), 100)),
      since: `${sinceYear}-${String(random.int(1, 12)).padStart(2, "0")}`,
      withholdings,
    },
  ];
}

// ---------------------------------------------------------------- housing provident fund (住房公积金)

/** About half of the persons courts enforce against have a provident fund account; retirement suspends it (封存). */
function providentFundOf(idNumber: string, home: Locality, now: Date, random: SeededRandom): ProvidentFundAccount[] {
  if (!random.chance(0.55)) return [];
  const birthYear = Number(idNumber.slice(6, 10));
  const retired = Number.isFinite(birthYear) && now.getUTCFullYear() - birthYear >= 60;
  const monthly = roundTo(random.int(200, 3_000), 10);
  const years = retired ? random.int(10, 30) : random.int(1, 15);
  const balance = roundTo(monthly * 12 * years * (0.3 + 0.7 * random.next()), 0.01);
  return [
    {
      accountNumber: random.digits(12),
      centre: `${home.cityName}住房公积金管理中心`,
      divisionCode: home.divisionCode,
      balance: yuan(balance),
      monthlyContribution: retired ? "0.00" : yuan(monthly),
      status: retired || random.chance(0.1) ? "SUSPENDED" : "NORMAL",
      withdrawalGround: retired ? "RETIREMENT" : random.chance(0.15) ? "LOAN_REPAYMENT" : undefined,
    },
  ];
}

// ---------------------------------------------------------------- payment institutions (网络支付)

const PAYMENT_INSTITUTIONS = ["支付宝（中国）网络技术有限公司", "财付通支付科技有限公司"] as const;

/** Most persons keep a little on a payment account; a business keeps its takings there for a while. */
function paymentAccountsOf(kind: DebtorIdKind, home: Locality, random: SeededRandom): PaymentAccount[] {
  const count = kind === "PERSON" ? random.weighted([25, 45, 30]) : random.weighted([60, 40]);
  return PAYMENT_INSTITUTIONS.slice(0, count).map((institution) => {
    const cents = random.chance(0.6) ? random.int(0, 200_000) : random.int(200_000, kind === "PERSON" ? 5_000_000 : 50_000_000);
    return {
      accountNumber: institution.startsWith("支付宝") ? `2088${random.digits(12)}` : random.digits(10),
      institution,
      divisionCode: home.divisionCode,
      balance: (cents / 100).toFixed(2),
    };
  });
}

// ---------------------------------------------------------------- marriage registrations (婚姻登记)

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "郭"];
const GIVEN_NAMES = ["秀英", "桂兰", "丽娟", "海燕", "建华", "志强", "伟", "敏", "静", "磊", "军", "红梅"];

function marriagesOf(idNumber: string, home: Locality, now: Date, random: SeededRandom): MarriageRegistration[] {
  const birthYear = Number(idNumber.slice(6, 10));
  const firstYear = birthYear + random.int(22, 32);
  if (firstYear >= now.getUTCFullYear() || random.chance(0.2)) return [];
  const male = Number(idNumber[16]) % 2 === 1;
  const bureau = `${regionName(home)}民政局`;
  const spouse = () => {
    const born = dateIn(birthYear + random.int(-4, 4), random).replaceAll("-", "");
    // The 17th digit is odd for men: the spouse's is of the other parity.
    const sexDigit = random.int(0, 4) * 2 + (male ? 0 : 1);
    return {
      spouseName: `${random.pick(SURNAMES)}${random.pick(GIVEN_NAMES)}`,
      spouseIdNumber: completeResidentId(`${home.divisionCode}${born}${random.digits(2)}${sexDigit}`),
    };
  };
  const first = spouse();
  const married = dateIn(firstYear, random);
  const records: MarriageRegistration[] = [
    { kind: "MARRIAGE", registeredOn: married, authority: bureau, divisionCode: home.divisionCode, ...first },
  ];
  const divorceYear = firstYear + random.int(2, 15);
  if (divorceYear < now.getUTCFullYear() && random.chance(0.25)) {
    records.push({
      kind: "DIVORCE",
      registeredOn: dateIn(divorceYear, random),
      authority: bureau,
      divisionCode: home.divisionCode,
      ...first,
    });
    const again = divorceYear + random.int(1, 5);
    if (again < now.getUTCFullYear() && random.chance(0.5)) {
      records.push({
        kind: "MARRIAGE",
        registeredOn: dateIn(again, random),
        authority: bureau,
        divisionCode: home.divisionCode,
        ...spouse(),
      });
    }
  }
  return records;
}

// ---------------------------------------------------------------- vehicles

interface CarModel {
  make: string;
  model: string;
  /** World manufacturer identifier: the first three VIN characters. */
  wmi: string;
  newPrice: number;
  electric: boolean;
}

const PRIVATE_CARS: CarModel[] = [
  { make: "大众", model: "朗逸", wmi: "LSV", newPrice: 120000, electric: false },
  { make: "大众", model: "速腾", wmi: "LFV", newPrice: 150000, electric: false },
  { make: "大众", model: "途观L", wmi: "LSV", newPrice: 230000, electric: false },
  { make: "丰田", model: "卡罗拉", wmi: "LFM", newPrice: 120000, electric: false },
  { make: "丰田", model: "凯美瑞", wmi: "LVG", newPrice: 200000, electric: false },
  { make: "本田", model: "雅阁", wmi: "LHG", newPrice: 190000, electric: false },
  { make: "本田", model: "思域", wmi: "LVH", newPrice: 130000, electric: false },
  { make: "日产", model: "轩逸", wmi: "LGB", newPrice: 110000, electric: false },
  { make: "别克", model: "英朗", wmi: "LSG", newPrice: 100000, electric: false },
  { make: "比亚迪", model: "秦PLUS", wmi: "LGX", newPrice: 120000, electric: true },
  { make: "比亚迪", model: "宋PLUS", wmi: "LGX", newPrice: 160000, electric: true },
  { make: "比亚迪", model: "汉", wmi: "LGX", newPrice: 220000, electric: true },
  { make: "吉利", model: "帝豪", wmi: "L6T", newPrice: 80000, electric: false },
  { make: "长安", model: "CS75 PLUS", wmi: "LS5", newPrice: 120000, electric: false },
  { make: "哈弗", model: "H6", wmi: "LGW", newPrice: 120000, electric: false },
  { make: "五菱", model: "宏光MINIEV", wmi: "LZW", newPrice: 40000, electric: true },
  { make: "宝马", model: "5系", wmi: "LBV", newPrice: 430000, electric: false },
  { make: "奔驰", model: "E级", wmi: "LE4", newPrice: 450000, electric: false },
  { make: "奥迪", model: "A6L", wmi: "LFV", newPrice: 420000, electric: false },
  { make: "特斯拉", model: "Model Y", wmi: "LRW", newPrice: 260000, electric: true },
];

const COMPANY_VEHICLES: CarModel[] = [
  { make: "五菱", model: "荣光", wmi: "LZW", newPrice: 50000, electric: false },
  { make: "江淮", model: "帅铃", wmi: "LJ1", newPrice: 90000, electric: false },
  { make: "福田", model: "欧曼EST", wmi: "LVB", newPrice: 350000, electric: false },
  { make: "解放", model: "J6P", wmi: "LFW", newPrice: 300000, electric: false },
  { make: "东风", model: "天锦", wmi: "LGA", newPrice: 250000, electric: false },
  { make: "别克", model: "GL8", wmi: "LSG", newPrice: 300000, electric: false },
  { make: "大众", model: "帕萨特", wmi: "LSV", newPrice: 220000, electric: false },
  { make: "丰田", model: "汉兰达", wmi: "LVG", newPrice: 280000, electric: false },
];

const COLOURS = ["白", "黑", "银", "灰", "蓝", "红"];
const CAR_LENDERS = [
  "上汽通用汽车金融有限责任公司",
  "大众汽车金融（中国）有限公司",
  "丰田汽车金融（中国）有限公司",
  "比亚迪汽车金融有限公司",
  "东风日产汽车金融有限公司",
];
/** Letters allowed on plates and in VINs: I and O are excluded to avoid confusion with 1 and 0. */
const PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

function vehicleOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): Vehicle {
  const car = random.pick(kind === "PERSON" ? PRIVATE_CARS : COMPANY_VEHICLES);
  const locality = random.chance(0.85) ? home : randomHenanLocality(random);
  const year = now.getUTCFullYear() - random.int(1, 12);
  const depreciated = car.newPrice * 0.85 ** (now.getUTCFullYear() - year) * (0.9 + random.next() * 0.2);
  const restrictions: Encumbrance[] = [];
  if (random.chance(0.25)) {
    restrictions.push({
      type: "MORTGAGE",
      authority:
        kind === "PERSON" ? random.pick(CAR_LENDERS) : `${random.pick(BANKS)}股份有限公司${locality.cityName.replace(/市$/, "")}分行`,
      reference: `DY${year}${random.digits(8)}`,
      since: dateIn(year, random),
      rank: 1,
    });
  }
  if (random.chance(0.05)) restrictions.push(sealByAnotherCourt(year, now, random));
  return {
    plate: locality.provinceAbbr + locality.plateLetter + plateSerial(car.electric, random),
    vin: vinOf(car.wmi, year, random),
    make: car.make,
    model: car.model,
    colour: random.pick(COLOURS),
    firstRegistered: dateIn(year, random),
    divisionCode: locality.divisionCode,
    valuation: yuan(Math.max(3000, roundTo(depreciated, 100))),
    restrictions,
  };
}

/** Five characters with at most two letters; new-energy plates are D/F plus five digits. */
function plateSerial(electric: boolean, random: SeededRandom): string {
  if (electric) return random.pick(["D", "F"]) + random.digits(5);
  const chars = random.digits(5).split("");
  const letters = random.weighted([60, 30, 10]);
  for (let i = 0; i < letters; i++) chars[random.int(0, 4)] = random.chars(PLATE_LETTERS, 1);
  return chars.join("");
}

/** ISO 3779 transliteration: a character's value is its index here, mod 10. */
const VIN_TRANSLITERATION = "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ";
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789";

/** A VIN with a correct check digit (position 9) and model-year code (position 10), as GB 16735 requires. */
function vinOf(wmi: string, year: number, random: SeededRandom): string {
  const vin = [
    ...wmi,
    ...random.chars(VIN_CHARS, 5),
    "0",
    MODEL_YEAR_CODES[(year - 2010 + 30) % 30],
    random.chars("0123456789ABCDEFGH", 1),
    ...random.digits(6),
  ];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (VIN_TRANSLITERATION.indexOf(vin[i]) % 10) * VIN_WEIGHTS[i];
  vin[8] = sum % 11 === 10 ? "X" : String(sum % 11);
  return vin.join("");
}

// ---------------------------------------------------------------- police

const POLICE_STATIONS = ["城关", "新华", "人民路", "建设路", "解放", "东关", "西关", "南关", "北关", "文化路"];
const TOWNS = ["城关镇", "东坝头乡", "南彰镇", "红庙镇", "固阳镇", "仪封乡", "小宋乡"];
const VILLAGES = ["张庄", "李寨", "王楼", "刘店", "陈湾", "赵营", "孙集"];
/** Common characters in given names, for registration typos. */
const NAME_CHARACTERS = [
  "伟",
  "炜",
  "玮",
  "芳",
  "方",
  "娜",
  "静",
  "敏",
  "明",
  "军",
  "君",
  "勇",
  "涛",
  "杰",
  "洁",
  "磊",
  "强",
  "平",
  "萍",
  "华",
];
const HOTEL_CHAINS = ["如家快捷酒店", "汉庭酒店", "7天连锁酒店", "锦江之星", "全季酒店", "格林豪泰酒店"];
const STATIONS = [
  "郑州东站",
  "开封北站",
  "洛阳龙门站",
  "许昌东站",
  "新乡东站",
  "安阳东站",
  "南阳东站",
  "商丘站",
  "信阳东站",
  "北京西站",
  "上海虹桥站",
  "武汉站",
  "西安北站",
];
const AIRPORTS = [
  "郑州新郑国际机场",
  "洛阳北郊机场",
  "南阳姜营机场",
  "北京首都国际机场",
  "上海虹桥国际机场",
  "广州白云国际机场",
  "深圳宝安国际机场",
  "成都天府国际机场",
];
const AIRLINES = ["CZ", "MU", "CA", "HU", "3U", "ZH"];
const INTERNET_CAFES = ["网鱼网咖", "极速网咖", "星际网吧", "天地网咖"];

function householdOf(
  idNumber: string,
  home: Locality,
  sanctions: Sanction[],
  now: Date,
  random: SeededRandom,
): HouseholdRecord | undefined {
  // A few people have no household record the police can find (e.g. 户口 moved, record not digitised).
  if (random.chance(0.03)) return undefined;
  const station = `${random.pick(POLICE_STATIONS)}派出所`;
  const county = isCountyLevel(home);
  const rural = county && random.chance(0.5);
  const householdAddress = rural
    ? `${regionName(home)}${random.pick(TOWNS)}${random.pick(VILLAGES)}村${random.int(1, 200)}号`
    : `${regionName(home)}${random.pick(STREETS)}${random.int(1, 299)}号`;
  const registrationAuthority = county
    ? `${home.districtName}公安局${station}`
    : home.districtName
      ? `${home.cityName}公安局${home.districtName.replace(/(回族)?区$/, "")}分局${station}`
      : `${home.cityName}公安局${station}`;
  const differingLastCharacter = random.chance(0.06) ? random.pick(NAME_CHARACTERS) : null;
  const restricted = sanctions.some((s) => s.listType === "CONSUMPTION_RESTRICTION");
  const count = random.weighted([30, 25, 20, 12, 8, 5]);
  const whereabouts = Array.from({ length: count }, () => whereaboutOf(home, restricted, now, random)).sort((a, b) =>
    a.time.localeCompare(b.time),
  );
  return {
    sex: Number(idNumber[16]) % 2 === 1 ? "MALE" : "FEMALE",
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    householdAddress,
    registrationAuthority,
    differingLastCharacter,
    whereabouts,
  };
}

/** Restricted debtors may not fly or take high-speed trains, so they show up on slow trains only. */
function whereaboutOf(home: Locality, restricted: boolean, now: Date, random: SeededRandom): Whereabout {
  const time = beijingDateTime(new Date(now.getTime() - random.int(60, 30 * 86_400) * 1000));
  const type = random.pick(
    restricted ? (["HOTEL", "RAIL", "INTERNET_CAFE"] as const) : (["HOTEL", "RAIL", "FLIGHT", "INTERNET_CAFE"] as const),
  );
  const town = home.cityName + home.districtName;
  switch (type) {
    case "HOTEL":
      return { time, type, place: `${home.cityName}${random.pick(HOTEL_CHAINS)}(${random.pick(STREETS)}店)` };
    case "RAIL": {
      const train = `${random.pick(restricted ? ["K", "T", "Z"] : ["G", "D"])}${random.int(100, 9999)}`;
      return { time, type, place: `${random.pick(STATIONS)} ${train}次` };
    }
    case "FLIGHT":
      return { time, type, place: `${random.pick(AIRPORTS)} ${random.pick(AIRLINES)}${random.int(1000, 8999)}` };
    case "INTERNET_CAFE":
      return { time, type, place: `${town}${random.pick(INTERNET_CAFES)}(${random.pick(STREETS)}店)` };
  }
}

// ---------------------------------------------------------------- tax

const ORGANISATION_TAXES = ["增值税", "企业所得税", "城市维护建设税", "印花税", "房产税"];
const BUSINESS_TAXES = ["增值税", "个人所得税"];

function taxOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): TaxProfile {
  const authority = `国家税务总局${isCountyLevel(home) ? home.districtName : home.cityName + home.districtName}税务局`;
  // Persons register only when they run a business (个体工商户); everyone else is a natural-person taxpayer.
  const registered = kind === "ORGANISATION" ? random.chance(0.97) : random.chance(0.3);
  const status = registered && random.chance(0.12) ? "非正常" : "正常";
  const employed = !registered && random.chance(0.5);
  const paying = status === "正常" && (registered || employed);
  const taxes = kind === "ORGANISATION" ? ORGANISATION_TAXES : registered ? BUSINESS_TAXES : ["个人所得税"];
  const count = paying ? random.int(0, 6) : 0;
  const payments = Array.from({ length: count }, (_, i): TaxPayment => {
    const taxType = random.pick(taxes);
    const scale = kind === "ORGANISATION" ? 50_000 : taxType === "个人所得税" && !registered ? 1_500 : 5_000;
    return { period: monthsBefore(now, i + 1), taxType, amount: yuan(random.int(50, scale) + random.int(0, 99) / 100) };
  });
  // Individuals' refunds come from the annual income-tax reconciliation; organisations' from VAT credit refunds.
  const refund =
    kind === "ORGANISATION" ? (random.chance(0.15) ? random.int(5_000, 300_000) : 0) : random.chance(0.25) ? random.int(200, 5_000) : 0;
  const refundNumber = refund > 0 ? `TR${home.divisionCode}${random.digits(10)}` : undefined;
  return { registered, status, authority, payments, refundsDue: yuan(refund), refundNumber };
}

// ---------------------------------------------------------------- credit sanctions

function sanctionsOf(kind: DebtorIdKind, home: Locality, now: Date, random: SeededRandom): Sanction[] {
  const court = localCourtOf(home);
  const since = new Date(now.getTime() - random.int(20, 700) * DAY_MS);
  const docNo = `（${since.getUTCFullYear()}）${court.code}执${random.int(100, 9999)}号`;
  const dishonest = (): Sanction => ({
    listType: "DISHONEST_DEBTOR",
    authority: court.name,
    docNo,
    since: beijingDate(since),
    until: beijingDate(new Date(since.getTime() + 2 * 365 * DAY_MS)),
  });
  const restricted = (): Sanction => ({ listType: "CONSUMPTION_RESTRICTION", authority: court.name, docNo, since: beijingDate(since) });
  const sanctions: Sanction[] = [];
  if (random.chance(kind === "PERSON" ? 0.2 : 0.15)) {
    const variant = random.weighted([60, 30, 10]);
    if (variant !== 1) sanctions.push(dishonest());
    if (variant !== 2) sanctions.push(restricted());
  }
  if (kind === "ORGANISATION" && random.chance(0.05)) {
    const listed = new Date(now.getTime() - random.int(30, 1000) * DAY_MS);
    sanctions.push({
      listType: "TAX_BLACKLIST",
      authority: `国家税务总局${home.cityName}税务局稽查局`,
      docNo: `${home.cityName.replace(/市$/, "")}税稽罚〔${listed.getUTCFullYear()}〕${random.int(1, 300)}号`,
      since: beijingDate(listed),
      until: beijingDate(new Date(listed.getTime() + 3 * 365 * DAY_MS)),
    });
  }
  return sanctions;
}

// ---------------------------------------------------------------- formatting

function yuan(amount: number): string {
  return amount.toFixed(2);
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

function dateIn(year: number, random: SeededRandom): string {
  return `${year}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;
}

function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

function beijingDateTime(at: Date): string {
  return `${new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** "2024-09" for the month `months` before the one containing `now`, in Beijing time. */
function monthsBefore(now: Date, months: number): string {
  const beijing = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const month = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - months, 1));
  return month.toISOString().slice(0, 7);
}
