/**
 * The court directory that ships with the hub (directory/courts.json): every court it knows, with its
 * code as used in case numbers, its level, the division codes it serves, and, per province, the hub
 * that serves that province's courts (peering sends a task for a court of another hub there).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { competentCourt, type CompetentCourtResult, type Court } from "../domain/courts/competentCourt.js";
import { courtsUnder } from "./courtHierarchy.js";

export interface DirectoryProvince {
  code: string;
  name: string;
  abbreviation: string;
  /** Identifier of the hub serving this province's courts. */
  hub: string;
}

export interface DirectoryFile {
  provinces: DirectoryProvince[];
  courts: Court[];
}

export const DEFAULT_DIRECTORY_FILE = fileURLToPath(new URL("./courts.json", import.meta.url));

export class CourtDirectory {
  private readonly byCode: Map<string, Court>;
  private readonly byDivision = new Map<string, Court>();
  private readonly provinces: Map<string, DirectoryProvince>;
  private readonly supervised = new Map<string, ReadonlySet<string>>();

  constructor(file: DirectoryFile) {
    this.provinces = new Map(file.provinces.map((p) => [p.code, p]));
    this.byCode = new Map();
    for (const court of file.courts) {
      if (this.byCode.has(court.code)) throw new Error(`court directory: court code ${court.code} appears twice`);
      if (!this.provinces.has(court.province))
        throw new Error(`court directory: ${court.code} is in province ${court.province}, which has no entry`);
      this.byCode.set(court.code, court);
      for (const division of court.divisions) {
        if (this.byDivision.has(division)) throw new Error(`court directory: division ${division} is served by two courts`);
        this.byDivision.set(division, court);
      }
    }
  }

  static load(path: string = DEFAULT_DIRECTORY_FILE): CourtDirectory {
    return new CourtDirectory(JSON.parse(readFileSync(path, "utf8")) as DirectoryFile);
  }

  court(code: string): Court | undefined {
    return this.byCode.get(code);
  }

  /** The codes of the courts a court supervises, itself included (courtHierarchy.ts). */
  courtsUnder(court: Court): ReadonlySet<string> {
    let under = this.supervised.get(court.code);
    if (!under) this.supervised.set(court.code, (under = courtsUnder(court, this.byCode.values())));
    return under;
  }

  competentCourt(divisionCode: string): CompetentCourtResult {
    return competentCourt(divisionCode, this.byDivision);
  }

  /** The hub serving a court, from its province's entry. */
  hubOf(court: Court): string {
    return this.provinces.get(court.province)!.hub;
  }
}
