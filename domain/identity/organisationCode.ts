/**
 * Organisation codes (组织机构代码, GB 11714-1997), the identifier organisations had before the unified social credit
 * code (GB 32100-2015, which embeds it as characters 9 to 17): eight digits or capital letters and a check character,
 * printed as XXXXXXXX-C. The check: C = 11 − (Σ value × weight mod 11) with weights 3, 7, 9, 10, 5, 8, 4, 2 and
 * letters valued A = 10 … Z = 35; 10 is written X and 11 is written 0. Courts still meet it for organisations never
 * given a credit code (deregistered before 2018, some public bodies).
 */
import { refuse, type ParseResult } from "../parseResult.js";

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** GB 11714-1997's check character for an 8-character body. */
export function organisationCodeCheck(body: string): string {
  const sum = [...body].reduce((total, character, index) => total + CHARACTERS.indexOf(character) * WEIGHTS[index], 0);
  const check = 11 - (sum % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

/** An organisation code, with or without its hyphen; the hub keeps it as nine characters without one. */
export function parseOrganisationCode(value: string): ParseResult<string> {
  const code = value.trim().toUpperCase().replace("-", "");
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(code))
    return refuse("an organisation code is 8 digits or capital letters and a check character (GB 11714)");
  if (organisationCodeCheck(code.slice(0, 8)) !== code[8]) return refuse("the organisation code's check character is wrong (GB 11714)");
  return { ok: true, value: code };
}
