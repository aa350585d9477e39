/** The names a Chinese user reads for the hub's codes. */
export const AGENCY_NAMES: Record<string, string> = {
  PROPERTY_REGISTRY: "不动产登记",
  VEHICLE_REGISTRY: "车辆管理",
  POLICE: "公安",
  TAX: "税务",
  CREDIT_PLATFORM: "信用平台",
  BANK: "银行",
  SECURITIES_DEPOSITORY: "证券登记结算",
  SOCIAL_INSURANCE: "人社（社会保险）",
  PROVIDENT_FUND: "住房公积金",
  PAYMENT_PLATFORM: "网络支付",
};

export const CHANNEL_NAMES: Record<string, string> = { NATIONAL: "总对总", LOCAL: "点对点" };

export const HEALTH_NAMES: Record<string, string> = { OK: "正常", SLOW: "迟缓", FAILING: "故障" };

export const STATUS_NAMES: Record<string, string> = {
  QUEUED: "排队",
  SENT: "已发送",
  AWAITING: "待答复",
  ANSWERED: "已答复",
  REFUSED: "被拒绝",
  FAILED: "失败",
  TIMED_OUT: "超时",
  IN_ENFORCEMENT: "执行中",
  SUSPENDED: "中止执行",
  EFFECTIVE: "生效",
  LAPSED: "已脱封",
  UNCONFIRMED: "未确认",
  COMPLETED: "已扣足",
  REQUESTED: "已申请",
  RECEIVED: "已签收",
  ACCEPTED: "已受理",
};

export const OUTCOME_NAMES: Record<string, string> = {
  ANSWERED: "已答复",
  PENDING: "待答复",
  RETRYING: "重试中",
  OVERDUE: "超期未答",
  FAILED: "失败",
  TIMED_OUT: "超时",
  REFUSED: "被拒绝",
};

export const MEASURE_KINDS: Record<string, string> = {
  FREEZE: "冻结",
  SEAL: "查封",
  SEIZE: "扣押",
  DEDUCT: "划拨",
  WITHHOLD: "扣留、提取收入",
};

export const TASK_KINDS: Record<string, string> = {
  QUERY: "查询",
  FREEZE: "冻结",
  SEAL: "查封",
  DEDUCT: "划拨",
  INVESTIGATE: "调查",
  SERVE_DOCUMENTS: "送达",
  VALUATION_AUCTION_CONSULTATION: "评估拍卖协商",
};

export const name = (names: Record<string, string>, code: string) => names[code] ?? code;

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1_000) return `${Math.round(ms)} 毫秒`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} 秒`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} 分钟`;
  return `${(ms / 3_600_000).toFixed(1)} 小时`;
}

export function time(value: string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
}
