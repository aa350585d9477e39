/**
 * Balances held for a debtor and the courts' freezes on them, by amount: the bank's deposit accounts, a provident
 * fund centre's accounts and a payment institution's balances keep the same books, whatever their wire protocol.
 *
 * - A freeze takes effect when the balance not yet frozen covers it, and nobody queues ahead; otherwise it queues
 *   (轮候) in order of registration.
 * - A deduction (划拨) takes money out of a freeze of the same court: the balance and that freeze's amount both fall,
 *   so what other freezes hold is untouched.
 * - A release, or a lapse at the end of the period (查扣冻规定 2020 art. 27), frees its amount; queued freezes then take
 *   effect in order while the free balance covers the first of them (art. 26), each reported TOOK_EFFECT, signed, to
 *   the callbackUrl of its freeze request, with its period counted from that day (domain/measures/queuedPeriod.ts).
 * Periods and renewals follow the hub's own rules for deposits (民诉法解释 art. 485: at most a year), so the
 * agencies and the hub never disagree.
 */
import { todayInChina } from "../domain/calendarDate.js";
import { hasLapsed } from "../domain/measures/lapse.js";
import { checkPeriod } from "../domain/measures/maximumPeriod.js";
import { periodOnTakingEffect } from "../domain/measures/queuedPeriod.js";
import { checkRenewal } from "../domain/measures/renewal.js";
import { formatYuan, parseYuan } from "../domain/measures/yuan.js";
import type { SignedCallbackSender } from "./callbacks.js";
import { chinaTime } from "./controls.js";

type FreezeStatus = "EFFECTIVE" | "QUEUED" | "RELEASED" | "LAPSED";

interface Freeze {
  readonly ref: string;
  readonly accountNumber: string;
  readonly court: string;
  readonly notice: string;
  /** Still frozen, cents: the amount ordered less what was deducted. */
  amount: bigint;
  from: string;
  to: string;
  status: FreezeStatus;
  freezeNo: string | undefined;
  releasedAt: string | undefined;
  readonly callbackUrl: string;
}

/** An account on the books; the agency keeps its own fields beside these. */
export interface LedgerAccount {
  accountNumber: string;
  /** Cents. */
  balance: bigint;
  /** In order of registration. */
  freezes: Freeze[];
}

/** One control request, as every agency keeping a ledger carries it once its wire format is read. */
export interface LedgerRequest {
  /** The request's idempotency key: a freeze is known by it to later deductions, releases and renewals. */
  key: string;
  action: "FREEZE" | "DEDUCT" | "RELEASE" | "RENEW";
  court: string;
  /** Cents: FREEZE and DEDUCT. */
  amount: bigint | undefined;
  from: string | undefined;
  to: string | undefined;
  /** DEDUCT, RELEASE, RENEW: the key of the freeze. */
  measureRef: string | undefined;
  notice: string;
  callbackUrl: string;
}

/** What the books did, for the agency to put in its own words on the wire. */
export type LedgerOutcome =
  | { status: "FROZEN"; freezeNo: string; effectiveFrom: string; amount: string }
  | { status: "QUEUED"; rank: number }
  | { status: "DEDUCTED"; transferNo: string; deductedAt: string; amount: string; remainingFrozen: string }
  | { status: "RELEASED"; releasedAt: string }
  | { status: "RENEWED"; until: string }
  | { status: "REJECTED"; reason: string };

/** An account as an inquiry shows it, freezes in force (in effect, queued) by rank. */
export interface LedgerView {
  balance: string;
  frozen: string;
  freezes: { court: string; notice: string; amount: string; since: string; until: string; rank: number }[];
}

export interface BalanceLedgerOptions {
  now: () => Date;
  /** Sends the signed TOOK_EFFECT reports. */
  reports: SignedCallbackSender;
  /** The report's body in the agency's own words, for a queued freeze that took effect. */
  tookEffect: (freeze: { measureRef: string; effectiveFrom: string; freezeNo: string }) => object;
}

const isLive = (freeze: Freeze) => freeze.status === "EFFECTIVE" || freeze.status === "QUEUED";

export class BalanceLedger {
  private readonly freezes = new Map<string, Freeze>();
  private sequence = 0;

  constructor(private readonly options: BalanceLedgerOptions) {}

  /** The account's books from the profile's balance (decimal yuan). */
  static open<T extends { accountNumber: string; balance: string }>(account: T): Omit<T, "balance"> & LedgerAccount {
    return { ...account, balance: cents(account.balance), freezes: [] };
  }

  reset(): void {
    this.freezes.clear();
    this.sequence = 0;
  }

  view(account: LedgerAccount): LedgerView {
    this.advance(account);
    const live = account.freezes.filter(isLive);
    return {
      balance: formatYuan(account.balance),
      frozen: formatYuan(frozenOn(account)),
      freezes: live.map((f, index) => ({
        court: f.court,
        notice: f.notice,
        amount: formatYuan(f.amount),
        since: f.from,
        until: f.to,
        rank: rankOf(live, index),
      })),
    };
  }

  /** The freeze a DEDUCT, RELEASE or RENEW names, on this account; undefined when there is none. */
  freezeOf(account: LedgerAccount, measureRef: string): { court: string; status: FreezeStatus } | undefined {
    const freeze = this.freezes.get(measureRef);
    return freeze?.accountNumber === account.accountNumber ? freeze : undefined;
  }

  act(account: LedgerAccount, request: LedgerRequest): LedgerOutcome {
    const reject = (reason: string): LedgerOutcome => ({ status: "REJECTED", reason });
    this.advance(account);
    if (request.action === "FREEZE") return this.freeze(request, account, reject);
    const freeze = this.freezes.get(request.measureRef!);
    if (!freeze || freeze.accountNumber !== account.accountNumber) return reject(`未找到该账户上的冻结 ${request.measureRef}`);
    if (freeze.court !== request.court) return reject(`只有原冻结法院（${freeze.court}）可以扣划、解除或续冻`);
    if (request.action === "DEDUCT") return this.deduct(request.amount!, freeze, account, reject);
    if (request.action === "RELEASE") return this.release(freeze, account, reject);
    return this.renew(request.to!, freeze, reject);
  }

  private freeze(request: LedgerRequest, account: LedgerAccount, reject: (reason: string) => LedgerOutcome): LedgerOutcome {
    const [from, to] = [request.from!, request.to!];
    const period = checkPeriod("FREEZE", "DEPOSIT", from, to);
    if (!period.ok) {
      if (period.code === "PERIOD_TOO_LONG")
        return reject(
          `冻结存款期限不得超过${period.maximumMonths}个月（民诉法解释第四百八十五条）：自${from}起最迟至${period.latestEndDate}`,
        );
      return reject(period.reason);
    }
    if (hasLapsed(to, this.options.now())) return reject(`冻结期限已于${to}届满`);
    const freeze: Freeze = {
      ref: request.key,
      accountNumber: account.accountNumber,
      court: request.court,
      notice: request.notice,
      amount: request.amount!,
      from,
      to,
      status: "QUEUED",
      freezeNo: undefined,
      releasedAt: undefined,
      callbackUrl: request.callbackUrl,
    };
    account.freezes.push(freeze);
    this.freezes.set(freeze.ref, freeze);
    this.advance(account, freeze);
    if (freeze.status === "EFFECTIVE") {
      return {
        status: "FROZEN",
        freezeNo: freeze.freezeNo!,
        effectiveFrom: chinaTime(this.options.now()),
        amount: formatYuan(freeze.amount),
      };
    }
    const live = account.freezes.filter(isLive);
    return { status: "QUEUED", rank: rankOf(live, live.indexOf(freeze)) };
  }

  private deduct(amount: bigint, freeze: Freeze, account: LedgerAccount, reject: (reason: string) => LedgerOutcome): LedgerOutcome {
    if (freeze.status !== "EFFECTIVE") return reject(`冻结${freeze.status === "QUEUED" ? "尚在轮候" : "已失效"}，不能扣划`);
    if (amount > freeze.amount) return reject(`扣划金额${formatYuan(amount)}元超过冻结余额${formatYuan(freeze.amount)}元`);
    account.balance -= amount;
    freeze.amount -= amount;
    const now = this.options.now();
    return {
      status: "DEDUCTED",
      transferNo: this.number("划", now),
      deductedAt: chinaTime(now),
      amount: formatYuan(amount),
      remainingFrozen: formatYuan(freeze.amount),
    };
  }

  private release(freeze: Freeze, account: LedgerAccount, reject: (reason: string) => LedgerOutcome): LedgerOutcome {
    if (freeze.status === "LAPSED") return reject(`冻结已于${freeze.to}届满失效，无需解除`);
    if (freeze.status !== "RELEASED") {
      freeze.status = "RELEASED";
      freeze.releasedAt = chinaTime(this.options.now());
      this.advance(account);
    }
    return { status: "RELEASED", releasedAt: freeze.releasedAt! };
  }

  private renew(to: string, freeze: Freeze, reject: (reason: string) => LedgerOutcome): LedgerOutcome {
    if (!isLive(freeze)) return reject(`冻结已${freeze.status === "RELEASED" ? "解除" : "届满失效"}，不能续冻`);
    const renewal = checkRenewal({ kind: "FREEZE", category: "DEPOSIT", expiresOn: freeze.to }, todayInChina(this.options.now()), to);
    if (!renewal.ok) return reject(renewal.reason);
    freeze.to = to;
    return { status: "RENEWED", until: to };
  }

  /**
   * Lapse what has run out, then let queued freezes take effect in order while the balance not
   * frozen covers the first of them. `answered` is the freeze being ordered, answered in its own
   * reply rather than reported.
   */
  private advance(account: LedgerAccount, answered?: Freeze): void {
    const now = this.options.now();
    for (const freeze of account.freezes) if (isLive(freeze) && hasLapsed(freeze.to, now)) freeze.status = "LAPSED";
    for (const next of account.freezes.filter((f) => f.status === "QUEUED")) {
      if (account.balance - frozenOn(account) < next.amount) break;
      next.status = "EFFECTIVE";
      next.freezeNo = this.number("冻", now);
      if (next === answered) continue;
      const period = periodOnTakingEffect(
        { kind: "FREEZE", category: "DEPOSIT", startsOn: next.from, expiresOn: next.to },
        todayInChina(now),
      );
      if (period.ok) [next.from, next.to] = [period.startsOn, period.expiresOn];
      const report = this.options.tookEffect({ measureRef: next.ref, effectiveFrom: chinaTime(now), freezeNo: next.freezeNo });
      this.options.reports.send(next.callbackUrl, JSON.stringify(report));
    }
  }

  private number(kind: "冻" | "划", now: Date): string {
    this.sequence++;
    return `${kind}${todayInChina(now).replaceAll("-", "")}${String(this.sequence).padStart(6, "0")}`;
  }
}

function frozenOn(account: LedgerAccount): bigint {
  return account.freezes.reduce((sum, f) => (f.status === "EFFECTIVE" ? sum + f.amount : sum), 0n);
}

/** Freezes in effect rank 1; queued ones 2, 3, … in order of registration. */
function rankOf(live: readonly Freeze[], index: number): number {
  return live[index].status === "EFFECTIVE" ? 1 : 1 + live.slice(0, index + 1).filter((f) => f.status === "QUEUED").length;
}

function cents(amount: string): bigint {
  const parsed = parseYuan(amount);
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return parsed.cents;
}
