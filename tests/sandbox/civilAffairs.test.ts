import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { debtorProfile } from "../../sandbox/debtorProfile.js";
import { startSandbox, type Sandbox } from "../../sandbox/index.js";
import { debtorIdKind } from "../../sandbox/idNumbers.js";
import { fastKnobs, findId } from "./fixtures.js";

let sandbox: Sandbox;
let root: string;
beforeAll(async () => {
  sandbox = await startSandbox({ knobs: fastKnobs() });
  root = sandbox.agencies.CIVIL_AFFAIRS.url;
});
afterAll(() => sandbox.close());

async function query(key: string, idNumber: string, channel = "national", contentType = "application/x-www-form-urlencoded") {
  const form = { qqbh: key, ah: "（2024）豫0225执123号", fydm: "豫0225", xm: "张伟", sfzh: idNumber, cxyy: "查找配偶财产", cbr: "李法官" };
  const response = await fetch(`${root}/${channel}/mzhy/query`, {
    method: "POST",
    headers: { "content-type": contentType, "x-request-id": key },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: await response.json() };
}

describe("civil affairs (婚姻登记, form in, JSON out)", () => {
  it("answers a person's registrations from the profile, spouses with valid resident IDs of the other sex", async () => {
    const id = findId((p) => p.marriages.some((m) => m.kind === "DIVORCE"));
    const { marriages } = debtorProfile(id);
    const reply = await query("mz-1", id);
    expect(reply).toEqual({
      status: 200,
      body: {
        fhdm: "0",
        qqbh: "mz-1",
        jl: marriages.map((m) => ({
          djlx: m.kind === "MARRIAGE" ? "结婚" : "离婚",
          djrq: m.registeredOn,
          djjg: m.authority,
          po_xm: m.spouseName,
          po_sfzh: m.spouseIdNumber,
        })),
      },
    });
    const sexOf = (idNumber: string) => Number(idNumber[16]) % 2;
    for (const m of marriages) {
      expect(debtorIdKind(m.spouseIdNumber)).toBe("PERSON");
      expect(sexOf(m.spouseIdNumber)).not.toBe(sexOf(id));
    }
    expect(marriages.map((m) => m.registeredOn)).toEqual(marriages.map((m) => m.registeredOn).sort());
  });

  it("answers only its own division's registrations on a local channel, and nothing for an organisation", async () => {
    const id = findId((p) => p.marriages.length > 0);
    expect((await query("mz-2", id, "local/4102")).body.jl).toHaveLength(debtorProfile(id).marriages.length);
    expect((await query("mz-3", id, "local/4101")).body.jl).toEqual([]);
    const org = findId(() => true, { kind: "ORGANISATION" });
    expect((await query("mz-4", org)).body).toEqual({ fhdm: "0", qqbh: "mz-4", jl: [] });
  });

  it("refuses a body that is not a form, and an ID that fails its check", async () => {
    expect(
      (
        await query(
          "mz-5",
          findId(() => true),
          "national",
          "application/json",
        )
      ).status,
    ).toBe(415);
    expect((await query("mz-6", "410225196001010010")).body).toMatchObject({ fhdm: "1", cwxx: "证件号码校验失败" });
  });
});
