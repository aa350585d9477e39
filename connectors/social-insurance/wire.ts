/**
 * 人社 (social insurance agency) wire format (docs/AGENCY_PROTOCOLS.md, SOCIAL_INSURANCE). The agency names the person and
 * the payer by the social insurance data elements (aac002 公民身份号码, aac003 姓名, aab001 单位编号, aab004 单位名称,
 * aac040 缴费工资); everything else in its assistance interface is plain.
 */
import { isoDate, list, literal, matching, record, tagged, text, yuan, type Decoded } from "../codec.js";

export interface IncomeQueryRequest {
  serial_no: string;
  case_no: string;
  court_code: string;
  aac002: string;
  aac003: string;
  reason: string;
  handler: string;
}

/** GZ 工资 (an employer pays it and the contributions on it); YLJ 养老金 (the basic pension the agency pays). */
export type IncomeType = "GZ" | "YLJ";

export interface WithholdingRequest {
  serial_no: string;
  /** KL 扣留、提取 (a new order), JC 解除 (stop one). */
  op: "KL" | "JC";
  case_no: string;
  court_code: string;
  aac002: string;
  aac003: string;
  income_type: IncomeType;
  aab001: string;
  /** KL: each month's amount, the total, and the first and last day. */
  monthly_amount?: string;
  total_amount?: string;
  start_date?: string;
  end_date?: string;
  /** JC: the serial number of the KL request that made the order. */
  order_serial_no?: string;
  notice_no: string;
  notice_date: string;
  ruling_no: string;
  handler: string;
  /** Where the monthly withholdings are reported. */
  callback_url: string;
}

const month = matching(/^\d{4}(?:0[1-9]|1[0-2])$/, "a month YYYYMM");
const payerCode = matching(/^\d{8,20}$/, "a payer number (aab001)");

/** Another court's withholding order already on the income, as the agency shows it. */
const order = record({ court: text, notice_no: text, monthly_amount: yuan, start_date: isoDate });

const income = tagged("income_type", {
  GZ: record({ income_type: literal("GZ"), aab001: payerCode, aab004: text, aac040: yuan, since: month, orders: list(order) }),
  YLJ: record({ income_type: literal("YLJ"), aab001: payerCode, aab004: text, pension: yuan, since: month, orders: list(order) }),
});

export const incomeReply = tagged("retcode", {
  "0": record({ retcode: literal("0"), serial_no: text, records: list(income) }),
  "1": record({ retcode: literal("1"), serial_no: text, errmsg: text }),
});

export const withholdingReply = tagged("retcode", {
  "0": tagged("state", {
    /** ZX 执行中: registered with the payer, withheld from the next payment on. */
    ZX: record({ retcode: literal("0"), serial_no: text, state: literal("ZX"), order_no: text, effective_at: text }),
    /** JC 已解除: the payer withholds no more. */
    JC: record({ retcode: literal("0"), serial_no: text, state: literal("JC"), released_at: text }),
  }),
  "1": record({ retcode: literal("1"), serial_no: text, errmsg: text }),
});

export const neverReceivedReply = (serialNo: string) => record({ retcode: literal("404"), serial_no: literal(serialNo), errmsg: text });

export const monthlyReport = record({
  msg_type: literal("MONTHLY_WITHHOLDING"),
  order_serial_no: text,
  month: matching(/^\d{4}-(?:0[1-9]|1[0-2])$/, "a month YYYY-MM"),
  amount: yuan,
  withheld_on: isoDate,
  transfer_no: text,
});

export type IncomeRecord = Decoded<typeof income>;
