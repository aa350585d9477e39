/**
 * Foreigners' passports (ICAO Doc 9303, Machine Readable Travel Documents): the document number is at most nine
 * digits or capital letters (Part 4, the machine-readable zone's number field), and the holder's nationality a
 * three-letter code (Part 3; Germany's is the single letter D). A Chinese citizen is identified by the citizen
 * identity number instead (居民身份证法 art. 3: 公民身份号码是每个公民唯一的、终身不变的身份代码), so a passport of
 * nationality CHN does not identify a debtor here.
 */
import { refuse, type ParseResult } from "../parseResult.js";

export interface Passport {
  /** Upper-cased, without spaces. */
  readonly number: string;
  /** ICAO 9303 code, e.g. USA, GBR, D. */
  readonly nationality: string;
}

export function parsePassport(number: string, nationality: string | null | undefined): ParseResult<Passport> {
  const normalised = number.replace(/\s+/g, "").toUpperCase();
  if (!/^[0-9A-Z]{1,9}$/.test(normalised)) return refuse("a passport number is at most nine digits or capital letters (ICAO 9303 part 4)");
  const country = (nationality ?? "").trim().toUpperCase();
  if (!/^([A-Z]{3}|D)$/.test(country)) return refuse("a passport's nationality is its three-letter ICAO code, e.g. USA (ICAO 9303 part 3)");
  if (country === "CHN") return refuse("a Chinese citizen is identified by the citizen identity number (居民身份证法 art. 3)");
  return { ok: true, value: { number: normalised, nationality: country } };
}
