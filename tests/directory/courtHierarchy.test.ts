/** 人民法院组织法 2018 art. 10: a higher court supervises the courts below it, here by the directory's levels and divisions. */
import { describe, expect, it } from "vitest";
import { CourtDirectory } from "../../directory/courtDirectory.js";

const directory = CourtDirectory.load();
const under = (code: string) => directory.courtsUnder(directory.court(code)!);

describe("courtsUnder (人民法院组织法 2018 art. 10)", () => {
  it("a higher court supervises every court of its province and none of another", () => {
    const henan = under("豫");
    expect(henan.has("豫0225")).toBe(true);
    expect(henan.has("豫02")).toBe(true);
    expect(henan.has("皖0104")).toBe(false);
  });

  it("an intermediate court supervises itself and the basic courts of its prefecture only", () => {
    const prefecture = under("豫02");
    expect(prefecture.has("豫02")).toBe(true);
    expect(prefecture.has("豫0225")).toBe(true);
    expect(prefecture.has("豫0302")).toBe(false);
    expect(prefecture.has("豫")).toBe(false);
  });

  it("a basic court supervises only itself", () => {
    expect([...under("豫0225")]).toEqual(["豫0225"]);
  });
});
