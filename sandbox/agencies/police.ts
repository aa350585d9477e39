/**
 * 公安: SOAP 1.1, synchronous. `POST {base}/services/PersonInquiry` answers a
 * PersonInquiryRequest with the household record and recent whereabouts.
 * `POST {base}/services/RequestStatus` (a RequestStatusRequest naming a
 * RequestId) answers an earlier request again as it was answered, or with a
 * soap:Client.UnknownRequest fault when it never arrived.
 * Refusals are soap:Client faults sent with HTTP 400 and transient failures
 * soap:Server faults with 5xx, so the hub's transport (which treats every 5xx
 * as retryable) classifies them without reading the body.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { textOf, type Agency, type AgencyReply, type AgencyRequest, type Lookup, type Route, type Submission } from "../agencyServer.js";
import { cachedDebtorProfile, registeredName } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";

const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const SERVICE_NS = "urn:gongan:zxlk:v1";
const SOAP_ACTION = `${SERVICE_NS}#PersonInquiry`;
const STATUS_ACTION = `${SERVICE_NS}#RequestStatus`;
const CONTENT_TYPE = "text/xml; charset=utf-8";

// Prefixes are the client's choice in XML, so match on local names.
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: true });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

export class PoliceService implements Agency {
  readonly routes: readonly Route[] = [
    { method: "POST", path: "/services/PersonInquiry", handle: (request) => this.inquire(request) },
    { method: "POST", path: "/services/RequestStatus", handle: (request) => this.lookUp(request) },
  ];

  errorReply(status: number, message: string): AgencyReply {
    return { status, contentType: CONTENT_TYPE, body: fault(status < 500 ? "Client" : "Server", message) };
  }

  /** Nothing is held between requests: every answer comes fresh from the debtor's profile. */
  reset(): void {}

  private inquire(request: AgencyRequest): AgencyReply | Submission {
    if (soapActionOf(request) !== SOAP_ACTION) return this.errorReply(400, `SOAPAction must be "${SOAP_ACTION}"`);
    const fields = requestOf(request.body, "PersonInquiryRequest");
    if (!fields) return this.errorReply(400, "body is not a SOAP envelope holding a PersonInquiryRequest");
    const key = textOf(fields.RequestId);
    if (!key) return this.errorReply(400, "RequestId is required");
    return { idempotencyKey: key, execute: () => this.answer(key, fields) };
  }

  private lookUp(request: AgencyRequest): AgencyReply | Lookup {
    if (soapActionOf(request) !== STATUS_ACTION) return this.errorReply(400, `SOAPAction must be "${STATUS_ACTION}"`);
    const key = textOf(requestOf(request.body, "RequestStatusRequest")?.RequestId);
    if (!key) return this.errorReply(400, "body is not a SOAP envelope holding a RequestStatusRequest with a RequestId");
    const unknown = { status: 400, contentType: CONTENT_TYPE, body: fault("Client.UnknownRequest", `未收到请求 ${key}`) };
    return { lookupKey: key, unknown };
  }

  private answer(requestId: string, fields: Record<string, unknown>): AgencyReply {
    if (!textOf(fields.CaseNumber) || !textOf(fields.Court)) return this.errorReply(400, "案号和法院代码不能为空");
    if (!textOf(fields.Purpose)) return this.errorReply(400, "查询事由不能为空");
    const name = textOf(fields.Name);
    if (!name) return this.errorReply(400, "姓名不能为空");
    const idNumber = textOf(fields.IdNumber) ?? "";
    const kind = debtorIdKind(idNumber);
    if (!kind) return this.errorReply(400, "公民身份号码校验失败");
    if (kind === "ORGANISATION") return response({ "ga:RequestId": requestId, "ga:Result": "NOT_APPLICABLE" });
    const household = cachedDebtorProfile(idNumber).household;
    if (!household) return response({ "ga:RequestId": requestId, "ga:Result": "NOT_FOUND" });
    return response({
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

function soapActionOf(request: AgencyRequest): string | undefined {
  return textOf(request.headers.soapaction)?.replace(/^"(.*)"$/, "$1");
}

function requestOf(xml: string, element: string): Record<string, unknown> | undefined {
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

function response(content: Record<string, unknown>): AgencyReply {
  return { status: 200, contentType: CONTENT_TYPE, body: envelope({ "ga:PersonInquiryResponse": content }) };
}

function fault(code: "Client" | "Server" | "Client.UnknownRequest", message: string): string {
  return envelope({ "soap:Fault": { faultcode: `soap:${code}`, faultstring: message } });
}
