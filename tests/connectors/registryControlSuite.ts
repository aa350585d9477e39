/**
 * The control protocol (控) the property and vehicle registries and the market regulator share
 * (docs/AGENCY_PROTOCOLS.md, "Control measures"), tested once and run by each
 * registry's test file against its own connector, path and asset field.
 */
import { createHmac } from "node:crypto";
import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  AgencyProtocolError,
  TransientAgencyError,
  type AgencyConnector,
  type ControlCall,
  type ControlConnector,
} from "../../connectors/connector.js";
import { agencyContext, controlCall, rejection } from "./helpers.js";

export interface RegistryUnderTest {
  name: string;
  connector: AgencyConnector & ControlConnector;
  /** Origin the connector's endpoint lives on, e.g. http://property.test */
  origin: string;
  /** Full path of the control route on the national channel. */
  path: string;
  /** Full path of the lookup route (by key) on the national channel. */
  lookupPath: string;
  assetField: "certNo" | "plate" | "uscc";
  assetIdentifier: string;
  /** The measure the registry applies, sent as the action (SEAL; FREEZE for equity); default SEAL. */
  measureKind?: "SEAL" | "FREEZE";
}

export const SECRET = "登记-共享密钥-0042";
/** Computed here rather than through connectors/signature.ts, so a wrong algorithm cannot pass. */
export const sm3 = (data: string, secret = SECRET) => createHmac("sm3", secret).update(data, "utf8").digest("hex");

export function describeRegistryControl(registry: RegistryUnderTest): void {
  const { connector } = registry;
  const ctx = agencyContext(`${registry.origin}/national`, SECRET);
  const agency = () => nock(registry.origin);
  const call = (overrides: Partial<ControlCall> = {}) =>
    controlCall({
      measureKind: registry.measureKind ?? "SEAL",
      assetIdentifier: registry.assetIdentifier,
      callbackUrl: `http://hub.test/agency-callbacks/${connector.kind}/measures`,
      ...overrides,
    });
  const key = call().idempotencyKey;
  const sealRef = "5d2c8a7e-1b3f-4e6a-8c9d-0f1e2d3c4b5a";
  const reply = (body: Record<string, unknown>) => JSON.stringify({ requestId: key, ...body });

  describe(`${registry.name} connector: control measures`, () => {
    it("sends a seal with the idempotency key in header and body and maps EFFECTIVE", async () => {
      const raw = reply({
        status: "EFFECTIVE",
        effectiveFrom: "2024-03-01T10:15:30.123+08:00",
        registrationNo: "查封登记(2024)第000001号",
      });
      let sent: unknown;
      agency()
        .post(registry.path, (body) => ((sent = body), true))
        .matchHeader("idempotency-key", key)
        .matchHeader("content-type", "application/json")
        .reply(200, raw);

      const outcome = await connector.control(call(), ctx);

      expect(sent).toEqual({
        requestId: key,
        action: registry.measureKind ?? "SEAL",
        caseNumber: "（2024）豫0225执123号",
        court: "豫0225",
        [registry.assetField]: registry.assetIdentifier,
        subject: { type: "PERSON", idNumber: "41020319850615001X", name: "张三" },
        from: "2024-03-01",
        to: "2027-02-28",
        notice: { number: "（2024）豫0225执123号之一", date: "2024-03-01" },
        decision: { number: "（2024）豫0225执123号", date: "2024-02-28", judges: ["张三", "李四", "王五"] },
        officer: "李法官",
        callbackUrl: `http://hub.test/agency-callbacks/${connector.kind}/measures`,
      });
      expect(outcome).toEqual({
        kind: "EFFECTIVE",
        effectiveFrom: "2024-03-01T10:15:30.123+08:00",
        reference: "查封登记(2024)第000001号",
        raw,
      });
    });

    it("maps a seal queued behind an earlier one (轮候) with its rank", async () => {
      const raw = reply({ status: "QUEUED", rank: 3 });
      agency().post(registry.path).reply(200, raw);
      expect(await connector.control(call(), ctx)).toEqual({ kind: "QUEUED", rank: 3, raw });
    });

    it("sends organisations as ORG subjects", async () => {
      let sent: { subject?: unknown } = {};
      agency()
        .post(registry.path, (body) => ((sent = body), true))
        .reply(200, reply({ status: "QUEUED", rank: 2 }));
      await connector.control(
        call({ debtor: { kind: "ORGANISATION", idNumber: "91410200MA9F1234X5", name: "开封某某商贸有限公司" } }),
        ctx,
      );
      expect(sent.subject).toEqual({ type: "ORG", idNumber: "91410200MA9F1234X5", name: "开封某某商贸有限公司" });
    });

    it("sends a release naming the seal's key and maps RELEASED", async () => {
      const raw = reply({ status: "RELEASED", releasedAt: "2024-09-02T09:00:00+08:00" });
      let sent: Record<string, unknown> = {};
      agency()
        .post(registry.path, (body) => ((sent = body), true))
        .matchHeader("idempotency-key", key)
        .reply(200, raw);
      const outcome = await connector.control(call({ action: "RELEASE", measureRef: sealRef, from: undefined, to: undefined }), ctx);
      expect(sent).toMatchObject({
        requestId: key,
        action: "RELEASE",
        measureRef: sealRef,
        [registry.assetField]: registry.assetIdentifier,
      });
      expect(sent).not.toHaveProperty("from");
      expect(sent).not.toHaveProperty("to");
      expect(outcome).toEqual({ kind: "RELEASED", releasedAt: "2024-09-02T09:00:00+08:00", raw });
    });

    it("sends a renewal with the new last day and maps RENEWED", async () => {
      const raw = reply({ status: "RENEWED", to: "2030-02-28" });
      let sent: Record<string, unknown> = {};
      agency()
        .post(registry.path, (body) => ((sent = body), true))
        .reply(200, raw);
      const outcome = await connector.control(call({ action: "RENEW", measureRef: sealRef, from: "2027-02-28", to: "2030-02-28" }), ctx);
      expect(sent).toMatchObject({ action: "RENEW", measureRef: sealRef, from: "2027-02-28", to: "2030-02-28" });
      expect(outcome).toEqual({ kind: "RENEWED", to: "2030-02-28", raw });
    });

    it.each([
      ["APPLY", {}],
      ["RELEASE", { measureRef: sealRef }],
      ["RENEW", { measureRef: sealRef }],
    ] as const)("treats a REJECTED reply to %s as a refusal with the registry's reason", async (action, extra) => {
      const raw = reply({ status: "REJECTED", message: "该不动产权证书不在被执行人名下" });
      agency().post(registry.path).reply(200, raw);
      expect(await connector.control(call({ action, ...extra }), ctx)).toEqual({
        kind: "REFUSED",
        reason: "该不动产权证书不在被执行人名下",
        raw,
      });
    });

    it.each([
      ["not JSON", "APPLY", "<html>busy</html>"],
      ["an unknown status", "APPLY", reply({ status: "PENDING" })],
      ["EFFECTIVE without a registration number", "APPLY", reply({ status: "EFFECTIVE", effectiveFrom: "2024-03-01T10:15:30+08:00" })],
      ["EFFECTIVE with a date for a date-time", "APPLY", reply({ status: "EFFECTIVE", effectiveFrom: "2024-03-01", registrationNo: "R1" })],
      ["QUEUED at rank 1", "APPLY", reply({ status: "QUEUED", rank: 1 })],
      ["QUEUED with a text rank", "APPLY", reply({ status: "QUEUED", rank: "2" })],
      ["REJECTED without a message", "APPLY", reply({ status: "REJECTED" })],
      ["RENEWED to an impossible date", "RENEW", reply({ status: "RENEWED", to: "2027-02-30" })],
      ["RELEASED without a time", "RELEASE", reply({ status: "RELEASED" })],
      ["another request's answer", "APPLY", JSON.stringify({ requestId: "someone-else", status: "QUEUED", rank: 2 })],
      ["RELEASED in answer to a seal", "APPLY", reply({ status: "RELEASED", releasedAt: "2024-09-02T09:00:00+08:00" })],
      [
        "EFFECTIVE in answer to a renewal",
        "RENEW",
        reply({ status: "EFFECTIVE", effectiveFrom: "2024-03-01T10:15:30+08:00", registrationNo: "R1" }),
      ],
      ["RENEWED in answer to a release", "RELEASE", reply({ status: "RENEWED", to: "2030-02-28" })],
    ] as const)("rejects a reply with %s as a protocol error carrying the raw body", async (_what, action, raw) => {
      agency().post(registry.path).reply(200, raw);
      const error = await rejection(connector.control(call({ action, measureRef: action === "APPLY" ? undefined : sealRef }), ctx));
      expect(error).toBeInstanceOf(AgencyProtocolError);
      expect(error.raw).toBe(raw);
    });

    it("rejects an undocumented 4xx as a protocol error and reports 503 as transient", async () => {
      agency()
        .post(registry.path)
        .reply(400, JSON.stringify({ requestId: key, status: "REJECTED", message: "callbackUrl must be an http(s) URL" }));
      const bad = await rejection(connector.control(call(), ctx));
      expect(bad).toBeInstanceOf(AgencyProtocolError);
      expect(bad.message).toContain("400");
      agency().post(registry.path).reply(503, "maintenance");
      const busy = await rejection(connector.control(call(), ctx));
      expect(busy).toBeInstanceOf(TransientAgencyError);
      expect(busy.raw).toBe("maintenance");
    });

    it.each([
      ["a measure the registry does not carry out", { measureKind: registry.measureKind === "FREEZE" ? "SEIZE" : "FREEZE" }],
      ["a seal without its period", { to: undefined }],
      ["a release without measureRef", { action: "RELEASE", measureRef: undefined }],
      ["a renewal without the new last day", { action: "RENEW", measureRef: sealRef, to: undefined }],
    ] as const)("refuses %s before sending anything", async (_what, overrides) => {
      // No interceptor and no network: a request that went out would fail as transient instead.
      const error = await rejection(connector.control(call(overrides as Partial<ControlCall>), ctx));
      expect(error).toBeInstanceOf(AgencyProtocolError);
    });

    describe("recall: the registry's stored reply to a control request, by key", () => {
      const lookup = () => agency().get(`${registry.lookupPath}/${key}`);

      it("reads the stored reply like the original answer, checked against the action", async () => {
        const raw = reply({ status: "QUEUED", rank: 2 });
        lookup().reply(200, raw);
        expect(await connector.recallControl!(call(), ctx)).toEqual({ kind: "QUEUED", rank: 2, raw });
        lookup().reply(200, raw);
        expect(await rejection(connector.recallControl!(call({ action: "RELEASE", measureRef: sealRef }), ctx))).toBeInstanceOf(
          AgencyProtocolError,
        );
      });

      it("is undefined when the registry never received the key", async () => {
        lookup().reply(404, JSON.stringify({ requestId: key, status: "UNKNOWN", message: "未收到该请求" }));
        expect(await connector.recallControl!(call(), ctx)).toBeUndefined();
      });
    });

    describe("signed measure reports", () => {
      const report = JSON.stringify({
        event: "TOOK_EFFECT",
        measureRef: sealRef,
        effectiveFrom: "2024-09-02T09:00:00.250+08:00",
        registrationNo: "查封登记(2024)第000002号",
      });

      it("verifies the signature over the exact body and decodes TOOK_EFFECT", () => {
        expect(connector.acceptMeasureReport(report, { "x-signature": sm3(report) }, ctx)).toEqual({
          measureRef: sealRef,
          event: "TOOK_EFFECT",
          effectiveFrom: "2024-09-02T09:00:00.250+08:00",
          reference: "查封登记(2024)第000002号",
        });
        // Header names arrive in whatever case the agency sent; hex digits in either case.
        expect(connector.acceptMeasureReport(report, { "X-Signature": sm3(report).toUpperCase() }, ctx)).toMatchObject({
          measureRef: sealRef,
        });
      });

      it.each([
        ["no signature", {}],
        ["a signature made with another secret", { "x-signature": sm3(report, "another-secret") }],
        ["a signature of another body", { "x-signature": sm3(report.replace("000002", "000003")) }],
        ["a truncated signature", { "x-signature": sm3(report).slice(0, 62) }],
        ["a signature that is not hex", { "x-signature": `${sm3(report).slice(0, 62)}zz` }],
      ])("rejects a report with %s", (_what, headers) => {
        const error = (() => {
          try {
            connector.acceptMeasureReport(report, headers, ctx);
          } catch (caught) {
            return caught as AgencyProtocolError;
          }
          throw new Error("expected the report to be rejected");
        })();
        expect(error).toBeInstanceOf(AgencyProtocolError);
        expect(error.message).toMatch(/signature/);
        expect(error.raw).toBe(report);
      });

      it.each([
        ["an unknown event", { event: "LAPSED", measureRef: sealRef, effectiveFrom: "2024-09-02T09:00:00+08:00", registrationNo: "R2" }],
        ["no registration number", { event: "TOOK_EFFECT", measureRef: sealRef, effectiveFrom: "2024-09-02T09:00:00+08:00" }],
        ["no measureRef", { event: "TOOK_EFFECT", effectiveFrom: "2024-09-02T09:00:00+08:00", registrationNo: "R2" }],
        [
          "a time that is not ISO-8601",
          { event: "TOOK_EFFECT", measureRef: sealRef, effectiveFrom: "2024/09/02 09:00", registrationNo: "R2" },
        ],
      ])("rejects a well-signed report with %s", (_what, body) => {
        const raw = JSON.stringify(body);
        expect(() => connector.acceptMeasureReport(raw, { "x-signature": sm3(raw) }, ctx)).toThrow(AgencyProtocolError);
      });
    });
  });
}
