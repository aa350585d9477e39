/**
 * Which courts a court supervises: a higher people's court the courts of its province, an
 * intermediate court those of its prefecture (division codes sharing its first four digits),
 * a basic court only itself (人民法院组织法 2018 art. 10: a higher court supervises the courts below it).
 */
import type { Court } from "../domain/courts/competentCourt.js";

export function courtsUnder(court: Court, all: Iterable<Court>): Set<string> {
  const under = new Set([court.code]);
  if (court.level === "BASIC") return under;
  const prefectures = new Set(court.divisions.map((division) => division.slice(0, 4)));
  for (const other of all) {
    if (other.province !== court.province) continue;
    if (court.level === "HIGHER" || other.divisions.some((division) => prefectures.has(division.slice(0, 4)))) under.add(other.code);
  }
  return under;
}
