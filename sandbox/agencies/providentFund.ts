/**
 * 住房公积金管理中心: one service address, `POST {base}/gjj/xzzx/service`, every message an envelope `{head, body}`
 * MACed whole with HMAC-SM3 in `X-Gjj-Mac`; head.txcode names the transaction (GJJ1001 查询, GJJ2001 冻结, GJJ2002
 * 扣划, GJJ2003 解冻, GJJ2004 续冻, GJJ9001 查询请求结果) and head.reqno the request, which the centre executes once:
 * the same reqno sent again is answered as the first time, and GJJ9001 replays that answer (or 9404, never
 * received). Answers are synchronous: head.retcode 0000 done, 1xxx refused with retmsg.
 *
 * The centre keeps each worker's account on the sandbox's ledger (balanceLedger.ts): freezes by amount queue (轮候),
 * releases and lapses let queued freezes take effect, reported in a MACed GJJ3001 envelope to the freeze's callback
 * address. It deducts (划拨) only when its file shows a withdrawal ground for the worker (住房公积金管理条例 art. 24:
 * here retirement, or repaying a home loan), as the hub's own rule expects (providentFundDeduction.ts). A local
 * (点对点) centre answers for its own city's accounts; organisations hold no personal fund.
 */
import { signHmacSm3, verifyHmacSm3 } from "../../connectors/signature.js";
import { parseYuan } from "../../domain/measures/yuan.js";
import {
  jsonReply,
  reachableOn,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Channel,
  type Lookup,
  type Route,
  type Submission,
} from "../agencyServer.js";
import { BalanceLedger, type LedgerAccount, type LedgerRequest } from "../balanceLedger.js";
import { SignedCallbackSender } from "../callbacks.js";
import { httpUrlOf, isDate, objectOf, type RegistryOptions } from "../controls.js";
import { debtorProfile, type ProvidentFundAccount } from "../debtorProfile.js";
import { declaredKindOf, subjectRefusal } from "../idNumbers.js";
import { Register } from "../register.js";

type Account = Omit<ProvidentFundAccount, "balance"> & LedgerAccount;

const ACTIONS = { GJJ2001: "FREEZE", GJJ2002: "DEDUCT", GJJ2003: "RELEASE", GJJ2004: "RENEW" } as const;
type ControlTx = keyof typeof ACTIONS;
const GROUND_CODES = { RETIREMENT: "02", LOAN_REPAYMENT: "05" } as const;
const WORDS = { name: "姓名", type: "证件类型" };

export class ProvidentFundCentre implements Agency {
  private readonly register = new Register<Account>((idNumber) => debtorProfile(idNumber).providentFund.map(BalanceLedger.open));
  private readonly ledger: BalanceLedger;
  private readonly reports: SignedCallbackSender;

  readonly routes: readonly Route[] = [{ method: "POST", path: "/gjj/xzzx/service", handle: (request) => this.service(request) }];

  constructor(
    environment: AgencyEnvironment,
    private readonly secret: string,
    options: RegistryOptions = {},
  ) {
    this.reports = new SignedCallbackSender(environment.stats, secret, (body) => ({ "x-gjj-mac": signHmacSm3(secret, body) }));
    this.ledger = new BalanceLedger({
      now: options.now ?? (() => new Date()),
      reports: this.reports,
      tookEffect: (freeze) => ({
        head: { txcode: "GJJ3001", reqno: freeze.measureRef },
        body: { djbh: freeze.freezeNo, sxsj: freeze.effectiveFrom },
      }),
    });
  }

  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { head: { retcode: "9999", retmsg: message } });
  }

  reset(): void {
    this.reports.reset();
    this.register.clear();
    this.ledger.reset();
  }

  private service(request: AgencyRequest): AgencyReply | Submission | Lookup {
    const mac = request.headers["x-gjj-mac"];
    if (!verifyHmacSm3(this.secret, request.body, typeof mac === "string" ? mac : undefined))
      return this.errorReply(401, "报文MAC校验失败");
    let envelope: { head?: unknown; body?: unknown };
    try {
      envelope = JSON.parse(request.body);
    } catch {
      return this.errorReply(400, "报文不是JSON");
    }
    const head = objectOf(envelope?.head);
    const body = objectOf(envelope?.body);
    const txcode = textOf(head?.txcode);
    const reqno = textOf(head?.reqno);
    if (!head || !body || !txcode || !reqno) return this.errorReply(400, "报文须为 {head: {txcode, reqno, fydm, fssj}, body}");
    const answer = (retcode: string, retmsg: string, replyBody?: object) =>
      jsonReply(200, { head: { txcode, reqno, retcode, retmsg }, ...(replyBody && { body: replyBody }) });
    if (txcode === "GJJ9001") return { lookupKey: reqno, unknown: answer("9404", "未收到该请求") };
    if (txcode === "GJJ1001") return { idempotencyKey: reqno, execute: () => this.inquire(body, request.channel, answer) };
    if (!Object.hasOwn(ACTIONS, txcode)) return this.errorReply(400, `未知交易码 ${txcode}`);
    const parsed = this.parseControl(txcode as ControlTx, reqno, textOf(head.fydm), body);
    if (typeof parsed === "string") return this.errorReply(400, parsed);
    return { idempotencyKey: reqno, execute: () => this.control(parsed, request.channel, answer) };
  }

  private inquire(body: Record<string, unknown>, channel: Channel, answer: Answer): AgencyReply {
    const subject = {
      idNumber: textOf(body.zjhm) ?? "",
      name: textOf(body.xm),
      declaredKind: declaredKindOf({ "01": "PERSON", "10": "ORGANISATION" }, body.zjlx),
    };
    const refusal = subjectRefusal(subject, WORDS);
    if (refusal) return answer("1001", refusal);
    const zhlist = this.register.reachable(subject.idNumber, channel).map((account) => {
      const view = this.ledger.view(account);
      return {
        grzh: account.accountNumber,
        zxmc: account.centre,
        zhye: view.balance,
        yjce: account.monthlyContribution,
        zhzt: account.status === "NORMAL" ? "01" : "02",
        ...(account.withdrawalGround && { tqqx: GROUND_CODES[account.withdrawalGround] }),
        djje: view.frozen,
        djlist: view.freezes.map((f) => ({ fymc: f.court, wh: f.notice, je: f.amount, qsrq: f.since, zzrq: f.until, xh: f.rank })),
      };
    });
    return answer("0000", "成功", { zhlist });
  }

  private parseControl(
    txcode: ControlTx,
    reqno: string,
    court: string | undefined,
    body: Record<string, unknown>,
  ): (LedgerRequest & { accountNumber: string; idNumber: string; name: string | undefined }) | string {
    const action = ACTIONS[txcode];
    const accountNumber = textOf(body.grzh);
    const idNumber = textOf(body.zjhm);
    if (!court || !accountNumber || !idNumber || !textOf(body.ah)) return "fydm、grzh、zjhm、ah 不能为空";
    let amount: bigint | undefined;
    if (body.je != null) {
      const parsed = typeof body.je === "string" ? parseYuan(body.je) : undefined;
      if (!parsed?.ok || parsed.cents === 0n) return "je 须为正的金额（元）";
      amount = parsed.cents;
    }
    for (const field of ["qsrq", "zzrq", "tzrq", "cdrq"] as const)
      if (body[field] != null && !isDate(body[field])) return `${field} 须为日期 YYYY-MM-DD`;
    const measureRef = textOf(body.ydjqqh);
    if (action === "FREEZE" && (amount === undefined || body.qsrq == null || body.zzrq == null)) return "冻结须有 je、qsrq、zzrq";
    if (action === "DEDUCT" && (amount === undefined || !measureRef)) return "扣划须有 je 和 ydjqqh（原冻结请求号）";
    if (action !== "FREEZE" && !measureRef) return "须有 ydjqqh（原冻结请求号）";
    if (action === "RENEW" && body.zzrq == null) return "续冻须有 zzrq";
    if (!textOf(body.tzsh) || !textOf(body.cdsh) || !Array.isArray(body.spry) || body.spry.length === 0)
      return "须有协助执行通知书号 tzsh、裁定书号 cdsh 和合议庭成员 spry";
    const callbackUrl = httpUrlOf(body.hdurl);
    if (!callbackUrl) return "hdurl 须为 http(s) 地址";
    return {
      key: reqno,
      action,
      court,
      amount,
      from: (body.qsrq ?? undefined) as string | undefined,
      to: (body.zzrq ?? undefined) as string | undefined,
      measureRef,
      notice: textOf(body.tzsh)!,
      callbackUrl,
      accountNumber,
      idNumber,
      name: textOf(body.xm),
    };
  }

  private control(
    request: LedgerRequest & { accountNumber: string; idNumber: string; name: string | undefined },
    channel: Channel,
    answer: Answer,
  ): AgencyReply {
    const refusal = subjectRefusal({ idNumber: request.idNumber, name: request.name, declaredKind: "PERSON" }, WORDS);
    if (refusal) return answer("1001", refusal);
    const account = this.register.of(request.idNumber).find((a) => a.accountNumber === request.accountNumber);
    if (!account) return answer("1002", "该公积金账户不属于被执行人");
    if (!reachableOn(channel, account.divisionCode)) return answer("1002", "该账户不属本中心管辖");
    if (request.action === "DEDUCT" && !account.withdrawalGround)
      return answer("1003", "该职工不符合住房公积金提取条件（住房公积金管理条例第二十四条），不能扣划");
    const outcome = this.ledger.act(account, request);
    switch (outcome.status) {
      case "FROZEN":
        return answer("0000", "冻结成功", { zt: "SX", djbh: outcome.freezeNo, sxsj: outcome.effectiveFrom, je: outcome.amount });
      case "QUEUED":
        return answer("0000", "轮候冻结", { zt: "LH", lhxh: outcome.rank });
      case "DEDUCTED":
        return answer("0000", "扣划成功", {
          khbh: outcome.transferNo,
          khsj: outcome.deductedAt,
          je: outcome.amount,
          syje: outcome.remainingFrozen,
        });
      case "RELEASED":
        return answer("0000", "解冻成功", { jdsj: outcome.releasedAt });
      case "RENEWED":
        return answer("0000", "续冻成功", { zzrq: outcome.until });
      case "REJECTED":
        return answer("1004", outcome.reason);
    }
  }
}

type Answer = (retcode: string, retmsg: string, body?: object) => AgencyReply;
