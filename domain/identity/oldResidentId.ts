/**
 * The 15-digit identity numbers issued before GB 11643-1999: six digits of the division, the birth date as YYMMDD
 * in the 1900s, three of a sequence, no check character. GB 11643-1999 makes the 18-character number by writing
 * the year in full and appending the check character, which is how courts record such a debtor today.
 */
import { refuse, type ParseResult } from "../parseResult.js";
import { checkCharacter } from "./residentId.js";

export function convertOldResidentId(value: string): ParseResult<string> {
  if (!/^\d{15}$/.test(value)) return refuse("an old resident ID number is 15 digits");
  const body = `${value.slice(0, 6)}19${value.slice(6)}`;
  return { ok: true, value: `${body}${checkCharacter(body)}` };
}
