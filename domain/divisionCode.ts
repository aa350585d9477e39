/**
 * Administrative division codes (行政区划代码, GB/T 2260): six digits, the first two
 * naming the province-level division. Debtors' ID numbers, organisations' credit codes
 * and courts' case numbers all carry one, and the hub routes local-channel (点对点)
 * requests by it.
 */

export interface Province {
  /** First two digits of every GB/T 2260 code in the province. */
  readonly code: string;
  readonly name: string;
  /**
   * One-character court code of the province's higher people's court (法院代字), which
   * begins every case number of its courts. It is the province's usual abbreviation,
   * except that courts use 内 for Inner Mongolia (最高人民法院关于人民法院案件案号的若干规定,
   * 法〔2015〕137号, art. 4) and 黔 for Guizhou.
   */
  readonly abbreviation: string;
}

/** The province-level divisions of GB/T 2260. */
export const PROVINCES: readonly Province[] = [
  { code: "11", name: "北京", abbreviation: "京" },
  { code: "12", name: "天津", abbreviation: "津" },
  { code: "13", name: "河北", abbreviation: "冀" },
  { code: "14", name: "山西", abbreviation: "晋" },
  { code: "15", name: "内蒙古", abbreviation: "内" },
  { code: "21", name: "辽宁", abbreviation: "辽" },
  { code: "22", name: "吉林", abbreviation: "吉" },
  { code: "23", name: "黑龙江", abbreviation: "黑" },
  { code: "31", name: "上海", abbreviation: "沪" },
  { code: "32", name: "江苏", abbreviation: "苏" },
  { code: "33", name: "浙江", abbreviation: "浙" },
  { code: "34", name: "安徽", abbreviation: "皖" },
  { code: "35", name: "福建", abbreviation: "闽" },
  { code: "36", name: "江西", abbreviation: "赣" },
  { code: "37", name: "山东", abbreviation: "鲁" },
  { code: "41", name: "河南", abbreviation: "豫" },
  { code: "42", name: "湖北", abbreviation: "鄂" },
  { code: "43", name: "湖南", abbreviation: "湘" },
  { code: "44", name: "广东", abbreviation: "粤" },
  { code: "45", name: "广西", abbreviation: "桂" },
  { code: "46", name: "海南", abbreviation: "琼" },
  { code: "50", name: "重庆", abbreviation: "渝" },
  { code: "51", name: "四川", abbreviation: "川" },
  { code: "52", name: "贵州", abbreviation: "黔" },
  { code: "53", name: "云南", abbreviation: "云" },
  { code: "54", name: "西藏", abbreviation: "藏" },
  { code: "61", name: "陕西", abbreviation: "陕" },
  { code: "62", name: "甘肃", abbreviation: "甘" },
  { code: "63", name: "青海", abbreviation: "青" },
  { code: "64", name: "宁夏", abbreviation: "宁" },
  { code: "65", name: "新疆", abbreviation: "新" },
  { code: "71", name: "台湾", abbreviation: "台" },
  { code: "81", name: "香港", abbreviation: "港" },
  { code: "82", name: "澳门", abbreviation: "澳" },
];

const BY_CODE = new Map(PROVINCES.map((province) => [province.code, province]));

const SIX_DIGITS = /^\d{6}$/;

/** The province a division code belongs to, or undefined if its first two digits name none. */
export function provinceOf(divisionCode: string): Province | undefined {
  return SIX_DIGITS.test(divisionCode) ? BY_CODE.get(divisionCode.slice(0, 2)) : undefined;
}

/**
 * Whether the code has the shape of a GB/T 2260 code: six digits under a real province.
 * Lower levels are not checked against the published list because that list changes
 * every year, while ID numbers keep the code of the year they were issued.
 */
export function isValidDivisionCode(divisionCode: string): boolean {
  return provinceOf(divisionCode) !== undefined;
}

/**
 * The longest configured prefix that the division code starts with, so that a channel
 * configured for a city (4102) wins over one configured for its province (41).
 */
export function longestPrefixMatch(divisionCode: string, prefixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const prefix of prefixes) {
    if (divisionCode.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best;
}
