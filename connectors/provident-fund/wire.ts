/**
 * 住房公积金管理中心 wire format (docs/AGENCY_PROTOCOLS.md, PROVIDENT_FUND): one service address, every message an
 * envelope `{head, body}` whose head names the transaction (txcode) and carries the request number (reqno); the
 * fields are the centres' pinyin abbreviations (grzh 个人账号, zhye 账户余额, yjce 月缴存额, …).
 */
import {
  isoDate,
  isoDateTime,
  list,
  literal,
  matching,
  oneOf,
  optional,
  queuedRank,
  record,
  tagged,
  text,
  yuan,
  type Decoded,
} from "../codec.js";

/** GJJ1001 查询, GJJ2001 冻结, GJJ2002 扣划, GJJ2003 解冻, GJJ2004 续冻, GJJ9001 查询请求结果, GJJ3001 轮候冻结生效 (the centre's report). */
export const TX = {
  INQUIRY: "GJJ1001",
  FREEZE: "GJJ2001",
  DEDUCT: "GJJ2002",
  RELEASE: "GJJ2003",
  RENEW: "GJJ2004",
  LOOKUP: "GJJ9001",
  TOOK_EFFECT: "GJJ3001",
} as const;

export interface Head {
  txcode: string;
  reqno: string;
  fydm: string;
  fssj: string;
}

/** zjlx 01 身份证, 10 统一社会信用代码: the fund is a worker's own, so an organisation holds none. */
export interface InquiryBody {
  zjlx: "01" | "10";
  zjhm: string;
  xm: string;
  ah: string;
  cxyy: string;
  cbr: string;
}

export interface ControlBody {
  grzh: string;
  zjhm: string;
  xm: string;
  ah: string;
  /** Yuan: 冻结 and 扣划. */
  je?: string;
  qsrq?: string;
  zzrq?: string;
  /** 扣划, 解冻, 续冻: the reqno of the freeze. */
  ydjqqh?: string;
  /** 协助执行通知书 number and date; ruling (裁定) number, date and judges. */
  tzsh: string;
  tzrq: string;
  cdsh: string;
  cdrq: string;
  spry: string[];
  cbr: string;
  hdurl: string;
}

/** 0000 done; 1xxx the centre refuses (retmsg says why); 9404 (lookup only) never received. */
const head = record({ txcode: text, reqno: text, retcode: matching(/^\d{4}$/, "a four-digit retcode"), retmsg: optional(text) });

const freeze = record({ fymc: text, wh: text, je: yuan, qsrq: isoDate, zzrq: optional(isoDate), xh: queuedRankOrFirst() });

function queuedRankOrFirst() {
  return (value: unknown, path: string) => (value === 1 ? 1 : queuedRank(value, path));
}

/** 01-06: the items of 住房公积金管理条例 art. 24 (购房, 离退休, 丧失劳动能力, 出境定居, 偿还贷款, 租房). */
export const WITHDRAWAL_CODES = ["01", "02", "03", "04", "05", "06"] as const;

const account = record({
  grzh: matching(/^\d{12}$/, "a 12-digit personal account number"),
  zxmc: text,
  zhye: yuan,
  yjce: yuan,
  /** 01 正常缴存, 02 封存, 03 销户. */
  zhzt: oneOf("01", "02", "03"),
  tqqx: optional(oneOf(...WITHDRAWAL_CODES)),
  djje: yuan,
  djlist: list(freeze),
});

export const inquiryReply = record({ head, body: optional(record({ zhlist: list(account) })) });

export const controlBody = {
  [TX.FREEZE]: tagged("zt", {
    SX: record({ zt: literal("SX"), djbh: text, sxsj: isoDateTime, je: yuan }),
    LH: record({ zt: literal("LH"), lhxh: queuedRank }),
  }),
  [TX.DEDUCT]: record({ khbh: text, khsj: isoDateTime, je: yuan, syje: yuan }),
  [TX.RELEASE]: record({ jdsj: isoDateTime }),
  [TX.RENEW]: record({ zzrq: isoDate }),
};

export const controlReply = record({ head, body: optional((value: unknown) => value) });

export const tookEffectReport = record({
  head: record({ txcode: literal(TX.TOOK_EFFECT), reqno: text }),
  body: record({ djbh: text, sxsj: isoDateTime }),
});

export type ProvidentFundAccount = Decoded<typeof account>;
