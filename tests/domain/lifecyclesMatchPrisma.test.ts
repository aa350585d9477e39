/** The database's enums (prisma/schema.prisma) and the lifecycles' status arrays are one list written twice. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ASSISTANCE_STATUSES } from "../../domain/assistance/assistanceLifecycle.js";
import { CASE_STATUSES } from "../../domain/cases/caseLifecycle.js";
import { AGENCY_REQUEST_STATUSES } from "../../domain/inquiry/agencyRequestLifecycle.js";
import { MEASURE_STATUSES } from "../../domain/measures/measureLifecycle.js";

const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");

function prismaEnum(name: string): string[] {
  const body = new RegExp(`^enum ${name} \\{([^}]*)\\}`, "m").exec(schema)?.[1];
  if (body === undefined) throw new Error(`no enum ${name} in prisma/schema.prisma`);
  return body
    .split("\n")
    .map((line) => line.replace(/\/\/.*/, "").trim())
    .filter((line) => line.length > 0);
}

describe("the Prisma enums are the lifecycles' statuses", () => {
  it.each([
    ["AgencyRequestStatus", AGENCY_REQUEST_STATUSES],
    ["CaseStatus", CASE_STATUSES],
    ["MeasureStatus", MEASURE_STATUSES],
    ["PoliceAssistanceStatus", ASSISTANCE_STATUSES],
  ] as const)("%s", (name, statuses) => {
    expect(prismaEnum(name)).toEqual([...statuses]);
  });
});
