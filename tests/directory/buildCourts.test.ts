import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { courtsFromDivisions, formatDirectory, type Overrides } from "../../directory/courtsFromDivisions.js";
import { readDivisions, readOverrides } from "../../directory/buildCourts.js";
import { CourtDirectory, DEFAULT_DIRECTORY_FILE } from "../../directory/courtDirectory.js";

const henan = { code: "41", name: "河南省", abbreviation: "豫", hub: "henan" };
const noOverrides: Overrides = { provinces: [henan], courts: [] };
const luoyang = [
  { code: "41", name: "河南省" },
  { code: "4103", name: "洛阳市" },
  { code: "410302", name: "老城区" },
  { code: "410323", name: "新安县" },
  { code: "410371", name: "洛阳高新技术产业开发区" },
  { code: "410381", name: "偃师市" },
  { code: "4190", name: "省直辖县级行政区划" },
  { code: "419001", name: "济源市" },
];

describe("the court directory built from division data (法〔2015〕137号 court codes)", () => {
  it("gives the province a higher court, each prefecture an intermediate court and each county-level division a basic court", () => {
    expect(courtsFromDivisions(luoyang, noOverrides).courts).toEqual([
      { code: "豫", name: "河南省高级人民法院", level: "HIGHER", province: "41", divisions: ["410000"] },
      { code: "豫03", name: "河南省洛阳市中级人民法院", level: "INTERMEDIATE", province: "41", divisions: ["410300"] },
      { code: "豫0302", name: "洛阳市老城区人民法院", level: "BASIC", province: "41", divisions: ["410302"] },
      { code: "豫0323", name: "新安县人民法院", level: "BASIC", province: "41", divisions: ["410323"] },
      { code: "豫0381", name: "偃师市人民法院", level: "BASIC", province: "41", divisions: ["410381"] },
      { code: "豫9001", name: "济源市人民法院", level: "BASIC", province: "41", divisions: ["419001"] },
    ]);
  });

  it("lets an override replace the courts of its code or divisions, and keeps its place in division order", () => {
    const merged = {
      code: "豫0307",
      name: "洛阳市偃师区人民法院",
      level: "BASIC" as const,
      province: "41",
      divisions: ["410307", "410381"],
    };
    const { courts } = courtsFromDivisions(luoyang, { provinces: [henan], courts: [{ ...merged, why: "renamed" }] });
    expect(courts.map((court) => court.code)).toEqual(["豫", "豫03", "豫0302", "豫0307", "豫0323", "豫9001"]);
    expect(courts[3]).toEqual(merged);
  });

  it("is what directory/courts.json holds: the shipped file is regenerated from the shipped data, not edited by hand", () => {
    const built = courtsFromDivisions(readDivisions().divisions, readOverrides());
    expect(formatDirectory(built)).toBe(readFileSync(DEFAULT_DIRECTORY_FILE, "utf8"));
  });
});

describe("the shipped directory covers Henan and its six neighbours", () => {
  const directory = CourtDirectory.load();
  const { divisions } = readDivisions();

  it("has a basic court of the same division for every county-level division in the data", () => {
    const counties = divisions.filter((division) => division.code.length === 6 && division.code[4] !== "7");
    expect(counties.length).toBe(891); // the seven provinces in the 2023 data, less development zones
    for (const county of counties) {
      const result = directory.competentCourt(county.code);
      expect(result.ok && result.court.level, county.code).toBe("BASIC");
      expect(result.ok && result.court.divisions, county.code).toContain(county.code);
      expect(result.ok && result.court.name, county.code).toContain(county.name);
    }
  });

  it("has an intermediate court for every prefecture-level division, and development zones fall back to it", () => {
    const cities = divisions.filter((division) => division.code.length === 4 && division.name !== "省直辖县级行政区划");
    expect(cities.length).toBe(94);
    for (const city of cities) {
      const result = directory.competentCourt(`${city.code}71`);
      expect(result.ok && result.court.level, city.code).toBe("INTERMEDIATE");
      expect(result.ok && result.court.name, city.code).toContain(city.name);
    }
  });

  it("finds the real courts at spot checks in each province", () => {
    const spots: [string, string, string][] = [
      ["410184", "豫0184", "新郑市人民法院"],
      ["410308", "豫0308", "洛阳市孟津区人民法院"],
      ["130682", "冀0682", "定州市人民法院"],
      ["130102", "冀0102", "石家庄市长安区人民法院"],
      ["140702", "晋0702", "晋中市榆次区人民法院"],
      ["140882", "晋0882", "河津市人民法院"],
      ["370281", "鲁0281", "胶州市人民法院"],
      ["370214", "鲁0214", "青岛市城阳区人民法院"],
      ["340104", "皖0104", "合肥市蜀山区人民法院"],
      ["341882", "皖1882", "广德市人民法院"],
      ["420106", "鄂0106", "武汉市武昌区人民法院"],
      ["422801", "鄂2801", "恩施市人民法院"],
      ["429004", "鄂9004", "仙桃市人民法院"],
      ["610118", "陕0118", "西安市鄠邑区人民法院"],
      ["610881", "陕0881", "神木市人民法院"],
    ];
    for (const [division, code, name] of spots) {
      expect(directory.competentCourt(division), division).toMatchObject({ ok: true, court: { code, name, level: "BASIC" } });
    }
  });

  it("still finds the court for a division code that has since changed (ID numbers keep the old one)", () => {
    expect(directory.competentCourt("410322")).toMatchObject({ ok: true, court: { code: "豫0308", name: "洛阳市孟津区人民法院" } });
    expect(directory.competentCourt("371202")).toMatchObject({ ok: true, court: { code: "鲁0116", name: "济南市莱芜区人民法院" } });
    expect(directory.competentCourt("371299")).toMatchObject({ ok: true, court: { code: "鲁01", level: "INTERMEDIATE" } });
  });

  it("sends the directly governed cities' other codes to 汉江 and 济源's intermediate courts", () => {
    expect(directory.competentCourt("429099")).toMatchObject({ ok: true, court: { code: "鄂96", name: "湖北省汉江中级人民法院" } });
    expect(directory.competentCourt("419099")).toMatchObject({ ok: true, court: { code: "豫90", name: "河南省济源中级人民法院" } });
  });

  it("loads with every court code and every division once (the loader refuses duplicates)", () => {
    const file = JSON.parse(readFileSync(DEFAULT_DIRECTORY_FILE, "utf8")) as { courts: { code: string; divisions: string[] }[] };
    const codes = file.courts.map((court) => court.code);
    const served = file.courts.flatMap((court) => court.divisions);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(served).size).toBe(served.length);
    for (const code of codes) expect(directory.court(code)?.code).toBe(code);
  });
});
