/**
 * 公安: SOAP 1.1. `POST {base}/services/PersonInquiry` answers a
 * PersonInquiryRequest at once with the household record and recent whereabouts.
 * `POST {base}/services/Assistance` takes on a request for assistance
 * (sandbox/policeAssistance.ts) and reports its result later.
 * `POST {base}/services/RequestStatus` (a RequestStatusRequest naming a
 * RequestId) answers an earlier request again as it was answered, or with a
 * soap:Client.UnknownRequest fault when it never arrived.
 * Refusals are soap:Client faults sent with HTTP 400 and transient failures
 * soap:Server faults with 5xx, so the hub's transport (which treats every 5xx
 * as retryable) classifies them without reading the body.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import {
  jsonReply,
  textOf,
  type Agency,
  type AgencyEnvironment,
  type AgencyReply,
  type AgencyRequest,
  type Lookup,
  type Route,
  type Submission,
} from "../agencyServer.js";
import type { RegistryOptions } from "../controls.js";
import { cachedDebtorProfile, registeredName } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";
import { AssistanceDesk } from "../policeAssistance.js";

const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const SERVICE_NS = "urn:gongan:zxlk:v1";
const CONTENT_TYPE = "text/xml; charset=utf-8";

// Prefixes are the client's choice in XML, so match on local names; judges repeat.
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: true, isArray: (name) => name === "Judge" });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

export class PoliceService implements Agency {
  private readonly assistance: AssistanceDesk;
  readonly routes: readonly Route[];

  /** `secret` signs the assistance reports POSTed to the hub. */
  constructor(environment: AgencyEnvironment, secret: string, options: RegistryOptions = {}) {
    this.assistance = new AssistanceDesk(environment, secret, options);
    this.routes = [
      {
        method: "POST",
        path: "/services/PersonInquiry",
        handle: (request) => this.serve(request, "PersonInquiry", (key, fields) => this.answer(key, fields)),
      },
      {
        method: "POST",
        path: "/services/Assistance",
        handle: (request) => this.serve(request, "Assistance", (key, fields) => this.takeOn(key, fields)),
      },
      { method: "GET", path: "/services/Assistance/:requestId", poll: true, handle: (request) => this.status(request.params.requestId) },
      { method: "POST", path: "/services/RequestStatus", handle: (request) => this.lookUp(request) },
    ];
  }

  errorReply(status: number, message: string): AgencyReply {
    return { status, contentType: CONTENT_TYPE, body: fault(status < 500 ? "Client" : "Server", message) };
  }

  /** Inquiries come fresh from the debtor's profile; what is forgotten is the assistance register. */
  reset(): void {
    this.assistance.reset();
  }

  /** A request of operation `operation` (its SOAPAction, and its element `<operation>Request`), executed once per RequestId. */
  private serve(
    request: AgencyRequest,
    operation: string,
    execute: (key: string, fields: Record<string, unknown>) => AgencyReply,
  ): AgencyReply | Submission {
    const read = this.operationRequest(request, operation);
    if ("error" in read) return read.error;
    return { idempotencyKey: read.key, execute: () => execute(read.key, read.fields) };
  }

  /** What became of an earlier request of any operation, by its RequestId. */
  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    const read = this.operationRequest(request, "RequestStatus");
    if ("error" in read) return read.error;
    const key = read.key;
    return {
      lookupKey: key,
      unknown: { status: 400, contentType: CONTENT_TYPE, body: fault("Client.UnknownRequest", `未收到请求 ${key}`) },
    };
  }

  /** The `<operation>Request` element and its RequestId, from a request carrying that operation's SOAPAction. */
  private operationRequest(
    request: AgencyRequest,
    operation: string,
  ): { key: string; fields: Record<string, unknown> } | { error: AgencyReply } {
    const expected = `${SERVICE_NS}#${operation}`;
    const action = textOf(request.headers.soapaction)?.replace(/^"(.*)"$/, "$1");
    if (action !== expected) return { error: this.errorReply(400, `SOAPAction must be "${expected}"`) };
    const fields = requestElementOf(request.body, `${operation}Request`);
    if (!fields) return { error: this.errorReply(400, `body is not a SOAP envelope holding a ${operation}Request`) };
    const key = textOf(fields.RequestId);
    return key ? { key, fields } : { error: this.errorReply(400, "RequestId is required") };
  }

  /** The report as it was sent to the CallbackUrl, for a hub that never received it. */
  private status(requestId: string): AgencyReply {
    const status = this.assistance.statusOf(requestId);
    if (!status) return jsonReply(404, { state: "UNKNOWN" });
    return status.state === "PENDING"
      ? jsonReply(200, status)
      : { status: 200, contentType: "application/json; charset=utf-8", body: status.report };
  }

  private takeOn(requestId: string, fields: Record<string, unknown>): AgencyReply {
    const taken = this.assistance.takeOn(requestId, fields);
    if (!taken.ok) return this.errorReply(400, taken.reason);
    return reply("AssistanceResponse", { "ga:RequestId": requestId, "ga:Result": "ACCEPTED", "ga:Reference": taken.reference });
  }

  private answer(requestId: string, fields: Record<string, unknown>): AgencyReply {
    if (!textOf(fields.CaseNumber) || !textOf(fields.Court)) return this.errorReply(400, "案号和法院代码不能为空");
    if (!textOf(fields.Purpose)) return this.errorReply(400, "查询事由不能为空");
    const name = textOf(fields.Name);
    if (!name) return this.errorReply(400, "姓名不能为空");
    const idNumber = textOf(fields.IdNumber) ?? "";
    const kind = debtorIdKind(idNumber);
    if (!kind) return this.errorReply(400, "公民身份号码校验失败");
    if (kind === "ORGANISATION") return reply("PersonInquiryResponse", { "ga:RequestId": requestId, "ga:Result": "NOT_APPLICABLE" });
    const household = cachedDebtorProfile(idNumber).household;
    if (!household) return reply("PersonInquiryResponse", { "ga:RequestId": requestId, "ga:Result": "NOT_FOUND" });
    return reply("PersonInquiryResponse", {
      "ga:RequestId": requestId,
      "ga:Result": "FOUND",
      "ga:Person": {
        "ga:Name": registeredName(household, name),
        "ga:Sex": household.sex === "MALE" ? "1" : "2",
        "ga:BirthDate": household.birthDate,
        "ga:HouseholdAddress": household.householdAddress,
        "ga:RegistrationAuthority": household.registrationAuthority,
      },
      "ga:Whereabouts": {
        "ga:Record": household.whereabouts.map((w) => ({ "ga:Time": w.time, "ga:Place": w.place, "ga:Type": w.type })),
      },
    });
  }
}

function requestElementOf(xml: string, element: string): Record<string, unknown> | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  try {
    const request = parser.parse(xml)?.Envelope?.Body?.[element];
    return typeof request === "object" && request !== null ? request : undefined;
  } catch {
    return undefined;
  }
}

function envelope(body: unknown): string {
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    "soap:Envelope": { "@_xmlns:soap": SOAP_NS, "@_xmlns:ga": SERVICE_NS, "soap:Body": body },
  });
}

function reply(element: string, content: Record<string, unknown>): AgencyReply {
  return { status: 200, contentType: CONTENT_TYPE, body: envelope({ [`ga:${element}`]: content }) };
}

function fault(code: "Client" | "Server" | "Client.UnknownRequest", message: string): string {
  return envelope({ "soap:Fault": { faultcode: `soap:${code}`, faultstring: message } });
}
