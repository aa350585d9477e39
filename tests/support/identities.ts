/** Valid, deterministic debtor identifiers for tests (check characters computed, never hard-coded). */
import { completeCreditCode, completeResidentId } from "../../sandbox/idNumbers.js";

let serial = Math.floor(Math.random() * 900);

/** A resident ID born in Kaifeng (4102) on the given date, unique within the run. */
export function residentId(birthDate = "19800101", sexDigit = 1): string {
  serial = (serial + 1) % 1000;
  const order = String(serial).padStart(2, "0").slice(-2);
  return completeResidentId(`410225${birthDate}${order}${sexDigit}`);
}

export function creditCode(): string {
  serial = (serial + 1) % 1000;
  return completeCreditCode(`91410200MA${String(100000 + serial * 7).slice(-6)}X`.slice(0, 17));
}

let caseSerial = Math.floor(Math.random() * 1_000_000);

/** A fresh case number of court 豫0225. */
export function caseNumber(court = "豫0225"): string {
  caseSerial += 1;
  return `（2024）${court}执${caseSerial}号`;
}
