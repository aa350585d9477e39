/**
 * The identities courts meet, through registration at a higher court (（2024）豫执N号, 法〔2015〕137号 art. 4): a
 * foreigner by passport (ICAO 9303), the old 15-digit ID kept converted with its original (GB 11643-1999), a Hong
 * Kong resident's residence permit (国办发〔2018〕81号) and an organisation known by its old organisation code
 * (GB 11714-1997). The first national inquiry reaches the sandbox agencies for each, and a wrong document is refused
 * naming its field and rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertOldResidentId } from "../../../domain/identity/oldResidentId.js";
import { checkCharacter } from "../../../domain/identity/residentId.js";
import { refusalOf } from "../../support/measures.js";
import { CASE_INQUIRIES, eventually, startTestHub, type TestHub } from "../../support/testHub.js";

const REGISTER = `mutation Register($input: RegisterCaseInput!) {
  registerCase(input: $input) { case { caseNumber courtCode kind
    debtors { kind idKind idNumber originalIdNumber nationality sex birthDate } } } }`;

let t: TestHub;
let highCourt: string;
const number = () => `（2024）豫执${Math.floor(Math.random() * 1_000_000) + 1}号`;
const oldId = "410225850315123";
const permit = `81000019900101001${checkCharacter("81000019900101001")}`;

beforeAll(async () => {
  t = await startTestHub();
  highCourt = await t.token("豫", ["CASE_OFFICER"], "officer-周");
});

afterAll(async () => {
  await t?.close();
});

describe("identities courts meet", () => {
  it("registers a higher court's case with a passport holder, an old ID, a permit holder and an organisation code", async () => {
    const caseNumber = number();
    const registered = await t.gql(
      REGISTER,
      {
        input: {
          caseNumber,
          creditorName: "河南某银行",
          claimAmount: "500000.00",
          debtors: [
            { kind: "PERSON", idKind: "PASSPORT", idNumber: "e1234 5678", nationality: "usa", name: "John Smith" },
            { kind: "PERSON", idNumber: oldId, name: "王五" },
            { kind: "PERSON", idNumber: permit, name: "陈大文" },
            { kind: "ORGANISATION", idKind: "ORGANISATION_CODE", idNumber: "12345678-8", name: "开封某厂" },
          ],
        },
      },
      highCourt,
    );
    expect(registered.errors).toBeUndefined();
    const converted = convertOldResidentId(oldId);
    expect(registered.data.registerCase.case).toMatchObject({ caseNumber, courtCode: "豫", kind: "ENFORCEMENT" });
    expect(registered.data.registerCase.case.debtors).toEqual(
      expect.arrayContaining([
        {
          kind: "PERSON",
          idKind: "PASSPORT",
          idNumber: "E12345678",
          originalIdNumber: null,
          nationality: "USA",
          sex: null,
          birthDate: null,
        },
        {
          kind: "PERSON",
          idKind: "RESIDENT_ID",
          idNumber: converted.ok && converted.value,
          originalIdNumber: oldId,
          nationality: null,
          sex: "MALE",
          birthDate: "1985-03-15",
        },
        expect.objectContaining({ idKind: "RESIDENT_ID", idNumber: permit, birthDate: "1990-01-01" }),
        expect.objectContaining({ kind: "ORGANISATION", idKind: "ORGANISATION_CODE", idNumber: "123456788" }),
      ]),
    );
    const done = await eventually(
      () => t.gql(CASE_INQUIRIES, { caseNumber }, highCourt),
      (r) => r.data?.case.inquiries.edges.length === 4 && r.data.case.inquiries.edges.every((e: any) => e.node.complete),
      30_000,
    );
    const statuses = done.data.case.inquiries.edges.flatMap((e: any) => e.node.parts.map((p: any) => p.status));
    expect(statuses.filter((status: string) => status !== "ANSWERED")).toEqual([]);
    // The organisation is found by its code as printed, hyphen and all.
    const again = await t.gql(
      `mutation Inquire($input: InquiryRequestInput!) { requestInquiry(input: $input) { id } }`,
      { input: { caseNumber, debtorIdNumber: "12345678-8", channel: "NATIONAL", purpose: "再次查询" } },
      highCourt,
    );
    expect(again.errors).toBeUndefined();
  });

  it("refuses a passport without its nationality and an organisation code for a person, naming the field and rule", async () => {
    const register = (debtor: Record<string, unknown>) =>
      t.gql(REGISTER, { input: { caseNumber: number(), creditorName: "某银行", claimAmount: "1000.00", debtors: [debtor] } }, highCourt);
    expect(refusalOf(await register({ kind: "PERSON", idKind: "PASSPORT", idNumber: "E12345678", name: "Jane Roe" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "debtors[0].nationality",
      rule: "ICAO 9303",
    });
    expect(
      refusalOf(await register({ kind: "PERSON", idKind: "PASSPORT", idNumber: "E12345678", nationality: "CHN", name: "张三" })),
    ).toMatchObject({ field: "debtors[0].nationality", reason: expect.stringContaining("居民身份证法 art. 3") });
    expect(refusalOf(await register({ kind: "PERSON", idKind: "ORGANISATION_CODE", idNumber: "12345678-8", name: "李四" }))).toMatchObject({
      field: "debtors[0].idKind",
    });
    expect(
      refusalOf(await register({ kind: "ORGANISATION", idKind: "ORGANISATION_CODE", idNumber: "12345678-9", name: "某厂" })),
    ).toMatchObject({
      field: "debtors[0].idNumber",
      rule: "GB 11714-1997",
    });
  });
});
