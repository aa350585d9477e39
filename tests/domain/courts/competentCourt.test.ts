import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseCaseNumber } from "../../../domain/caseNumber.js";
import { CourtDirectory, DEFAULT_DIRECTORY_FILE, type DirectoryFile } from "../../../directory/courtDirectory.js";
import { readOverrides } from "../../../directory/buildCourts.js";

const directory = CourtDirectory.load();

describe("Henan High Court supervision opinion, item 18 (委托当地法院): the competent court from the shipped directory", () => {
  it("is the basic court of the district or county", () => {
    expect(directory.competentCourt("410225")).toMatchObject({
      ok: true,
      court: { code: "豫0225", name: "兰考县人民法院", level: "BASIC" },
    });
    expect(directory.competentCourt("340104")).toMatchObject({ ok: true, court: { code: "皖0104", name: "合肥市蜀山区人民法院" } });
  });

  it("falls back to the city's intermediate court when the directory has no basic court there", () => {
    // A development zone's statistics code (济南高新技术产业开发区) is no county-level division.
    expect(directory.competentCourt("370176")).toMatchObject({
      ok: true,
      court: { code: "鲁01", name: "山东省济南市中级人民法院", level: "INTERMEDIATE" },
    });
  });

  it("refuses codes it cannot place", () => {
    expect(directory.competentCourt("4102")).toMatchObject({ ok: false, code: "INVALID_DIVISION_CODE" });
    expect(directory.competentCourt("440305")).toMatchObject({ ok: false, code: "NO_COURT_FOR_DIVISION" });
  });

  it("covers Henan and its six neighbours, each with its higher court and the hub that serves it", () => {
    for (const [code, hub] of [
      ["豫", "henan"],
      ["冀", "hebei"],
      ["晋", "shanxi"],
      ["鲁", "shandong"],
      ["皖", "anhui"],
      ["鄂", "hubei"],
      ["陕", "shaanxi"],
    ]) {
      const court = directory.court(code)!;
      expect(court.level).toBe("HIGHER");
      expect(directory.hubOf(court)).toBe(hub);
    }
  });

  it("gives basic and intermediate courts the codes their case numbers carry (法〔2015〕137号), and the division those codes stand for", () => {
    const file = JSON.parse(readFileSync(DEFAULT_DIRECTORY_FILE, "utf8")) as DirectoryFile;
    // Except the hand-made entries, each with its reason: 汉江中级人民法院 is 鄂96 and serves 4290.
    const handMade = new Set(readOverrides().courts.map((court) => court.code));
    const lower = file.courts.filter((court) => court.level !== "HIGHER" && !handMade.has(court.code));
    expect(lower.length).toBeGreaterThan(250);
    for (const court of lower) {
      const parsed = parseCaseNumber(`（2024）${court.code}执1号`, "2024-06-01");
      expect(parsed.ok && parsed.value.courtCode, court.code).toBe(court.code);
      expect(parsed.ok && parsed.value.divisionCode, court.code).toBe(court.divisions[0]);
    }
  });

  it("refuses a directory where two courts serve one division", () => {
    const province = { code: "41", name: "河南省", abbreviation: "豫", hub: "henan" };
    const court = { name: "x", level: "BASIC" as const, province: "41", divisions: ["410225"] };
    expect(
      () =>
        new CourtDirectory({
          provinces: [province],
          courts: [
            { ...court, code: "豫0225" },
            { ...court, code: "豫0226" },
          ],
        }),
    ).toThrow(/served by two courts/);
  });
});
