/**
 * Motor vehicle plate numbers (号牌号码, GA 36-2018): the province's one-character
 * abbreviation, the issuing office's letter, then five characters (six for new
 * energy vehicles), the last of which may be 挂, 学, 警, 港 or 澳. I and O are
 * never used, to keep them apart from 1 and 0.
 */

const PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

export function isPlateNumber(value: string): boolean {
  return PLATE.test(value);
}
