import { describe, expect, it } from "vitest";
import { debtorProfile, registeredName } from "../../sandbox/debtorProfile.js";
import { completeCreditCode, completeResidentId, debtorIdKind } from "../../sandbox/idNumbers.js";
import { findId, organisationId, personId, withWrongCheck } from "./fixtures.js";

const NOW = new Date("2025-06-15T04:00:00Z");

describe("ID numbers", () => {
  it("computes the GB 11643 and GB 32100 check characters", () => {
    expect(completeResidentId("11010519491231002")).toBe("11010519491231002X");
    expect(completeCreditCode("91350100M000100Y4")).toBe("91350100M000100Y43");
    expect(debtorIdKind("11010519491231002X")).toBe("PERSON");
    expect(debtorIdKind("91350100M000100Y43")).toBe("ORGANISATION");
  });

  it("rejects wrong check characters, impossible birth dates and other shapes", () => {
    expect(debtorIdKind(withWrongCheck(personId(1)))).toBeUndefined();
    expect(debtorIdKind(withWrongCheck(organisationId(1)))).toBeUndefined();
    expect(debtorIdKind(completeResidentId("41022519901301123"))).toBeUndefined();
    expect(debtorIdKind("")).toBeUndefined();
    expect(debtorIdKind("not an id")).toBeUndefined();
    expect(() => debtorProfile("41-0225")).toThrow(TypeError);
  });

  it("reads an organisation code (GB 11714) as an organisation's and any other passport number (ICAO 9303) as a person's", () => {
    expect(debtorIdKind("123456788")).toBe("ORGANISATION");
    expect(debtorIdKind("E12345678")).toBe("PERSON");
    // The police keep no household record of a foreigner known by a passport.
    expect(debtorProfile("E12345678", NOW).household).toBeUndefined();
  });
});

describe("debtorProfile", () => {
  it("gives the same ID the same data, and different IDs different data", () => {
    const id = personId(7);
    expect(debtorProfile(id, NOW)).toEqual(debtorProfile(id, NOW));
    expect(debtorProfile(organisationId(7), NOW)).toEqual(debtorProfile(organisationId(7), NOW));
    const others = Array.from({ length: 20 }, (_, i) => JSON.stringify(debtorProfile(personId(100 + i), NOW)));
    expect(new Set(others).size).toBe(20);
  });

  it("leaves about one debtor in five with neither flat nor vehicle", () => {
    const profiles = Array.from({ length: 600 }, (_, i) => debtorProfile(i % 2 ? personId(i) : organisationId(i), NOW));
    const empty = profiles.filter((p) => p.flats.length === 0 && p.vehicles.length === 0).length / profiles.length;
    expect(empty).toBeGreaterThan(0.13);
    expect(empty).toBeLessThan(0.27);
    expect(profiles.some((p) => p.flats.some((f) => f.encumbrances.some((e) => e.type === "MORTGAGE")))).toBe(true);
    expect(profiles.filter((p) => p.sanctions.length > 0).length).toBeLessThan(profiles.length / 2);
  });

  it("derives a person's sex, birth date and locality from the resident ID", () => {
    const id = findId((p) => p.household !== undefined && p.flats.length > 0 && p.vehicles.length > 0);
    const profile = debtorProfile(id, NOW);
    expect(profile.kind).toBe("PERSON");
    expect(profile.household?.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
    expect(profile.household?.sex).toBe(Number(id[16]) % 2 ? "MALE" : "FEMALE");
    expect(profile.household?.householdAddress).toMatch(/^河南省开封市兰考县/);
    expect(profile.household?.registrationAuthority).toMatch(/公安局.*派出所$/);
    for (const flat of profile.flats) {
      expect(flat.certificateNumber).toMatch(/^豫\(\d{4}\).+不动产权第\d{7}号$/);
      expect(flat.appraisal).toMatch(/^\d+\.\d{2}$/);
    }
    for (const vehicle of profile.vehicles) {
      expect(vehicle.plate).toMatch(/^豫[A-U][0-9A-HJ-NP-Z]{5,6}$/);
      expect(vehicle.vin).toMatch(/^[0-9A-HJ-NPR-Z]{17}$/);
      expect(vehicle.valuation).toMatch(/^\d+\.00$/);
    }
  });

  it("places whereabouts within the last 30 days and keeps restricted debtors off planes", () => {
    const restricted = findId(
      (p) => p.sanctions.some((s) => s.listType === "CONSUMPTION_RESTRICTION") && (p.household?.whereabouts.length ?? 0) >= 3,
    );
    for (const whereabout of debtorProfile(restricted, NOW).household!.whereabouts) {
      const at = Date.parse(whereabout.time);
      expect(at).toBeLessThanOrEqual(NOW.getTime());
      expect(at).toBeGreaterThan(NOW.getTime() - 30 * 86_400_000);
      expect(whereabout.type).not.toBe("FLIGHT");
    }
  });

  it("registers the court's name except for a few debtors whose last character differs", () => {
    const matching = debtorProfile(
      findId((p) => p.household?.differingLastCharacter === null),
      NOW,
    );
    expect(registeredName(matching.household!, "张伟")).toBe("张伟");
    const differing = debtorProfile(
      findId((p) => !!p.household?.differingLastCharacter),
      NOW,
    );
    expect(registeredName(differing.household!, "张伟")).toMatch(/^张.$/);
  });

  it("gives organisations commercial property, company vehicles, a tax registration and no household record", () => {
    const ids = Array.from({ length: 40 }, (_, i) => organisationId(i + 1));
    const profiles = ids.map((id) => debtorProfile(id, NOW));
    expect(profiles.every((p) => p.kind === "ORGANISATION" && p.household === undefined)).toBe(true);
    expect(profiles.flatMap((p) => p.flats).every((f) => f.usage === "商业" && f.share === "单独所有")).toBe(true);
    expect(profiles.filter((p) => p.tax.registered).length).toBeGreaterThan(30);
    expect(profiles.some((p) => p.vehicles.length > 0)).toBe(true);
  });

  it("uses the province of the ID's division for plates outside Henan", () => {
    const id = findId((p) => p.vehicles.length > 1, { division: "320102" });
    const plates = debtorProfile(id, NOW).vehicles.map((v) => v.plate);
    expect(plates.some((plate) => plate.startsWith("苏A"))).toBe(true);
  });
});
