import nock from "nock";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { AssistanceCall, ConnectorContext, ControlCall, InquiryCall } from "../../connectors/connector.js";
import { fetchExchange } from "../../bench/support/fetchExchange.js";
import { createAgencyTransport } from "../../connectors/transport.js";

/** Intercept global fetch for this file only; other test files talk to real servers. */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "every mocked agency reply was requested").toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

/** A connector context on its own transport, closed after the file. */
export function agencyContext(baseUrl: string, secret = "test-secret"): ConnectorContext {
  // nock intercepts the global fetch, not the hub's undici `request`: the connector tests' seam. What a reply means stays the transport's.
  const transport = createAgencyTransport({ baseUrl, requestTimeoutMs: 500 }, undefined, fetchExchange);
  afterAll(() => transport.close());
  return { transport, secret };
}

export function inquiryCall(overrides: Partial<InquiryCall> = {}): InquiryCall {
  return {
    idempotencyKey: "6f1c2a9e-4b7d-4e2a-9c1f-0a5b3d2e7f10",
    caseNumber: "（2024）豫0225执123号",
    courtCode: "豫0225",
    debtor: { kind: "PERSON", idNumber: "41020319850615001X", name: "张三" },
    purpose: "查询被执行人财产",
    officer: "李法官",
    callbackUrl: "http://hub.test/callbacks/tax",
    ...overrides,
  };
}

export const organisationDebtor = { kind: "ORGANISATION", idNumber: "91410200MA9F1234X5", name: "开封某某商贸有限公司" } as const;

/** The error a promise rejects with, for asserting its class and the raw body it carries. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { raw?: string; transient?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { raw?: string };
  }
  throw new Error("expected the promise to reject");
}

export function controlCall(overrides: Partial<ControlCall> = {}): ControlCall {
  return {
    idempotencyKey: "0b7e5c1d-2f4a-4c8e-9d3b-5a6f7e8d9c01",
    action: "APPLY",
    measureKind: "SEAL",
    caseNumber: "（2024）豫0225执123号",
    courtCode: "豫0225",
    debtor: { kind: "PERSON", idNumber: "41020319850615001X", name: "张三" },
    assetIdentifier: "豫(2018)开封市不动产权第1028427号",
    from: "2024-03-01",
    to: "2027-02-28",
    notice: { number: "（2024）豫0225执123号之一", date: "2024-03-01" },
    decision: { number: "（2024）豫0225执123号", date: "2024-02-28", judges: ["张三", "李四", "王五"] },
    officer: "李法官",
    callbackUrl: "http://hub.test/agency-callbacks/PROPERTY_REGISTRY/measures",
    ...overrides,
  };
}

export function assistanceCall(overrides: Partial<AssistanceCall> = {}): AssistanceCall {
  return {
    idempotencyKey: "3c9d2e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    kind: "LOCATE_DEBTOR",
    caseNumber: "（2024）豫0225执123号",
    courtCode: "豫0225",
    debtor: { kind: "PERSON", idNumber: "41020319850615001X", name: "张三" },
    decision: { number: "（2024）豫0225执123号之三", date: "2024-05-20", judges: ["王明"] },
    officer: "李法官",
    callbackUrl: "http://hub.test/agency-callbacks/POLICE/assistance",
    ...overrides,
  };
}
