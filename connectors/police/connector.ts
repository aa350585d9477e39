import {
  AgencyProtocolError,
  TransientAgencyError,
  type AgencyConnector,
  type AssistanceConnector,
  type AssistanceOutcome,
  type ConnectorContext,
  type ConnectorOutcome,
  type IdentityRecord,
  type InquiryCall,
} from "../connector.js";
import { answersCall, decodeJson, expectStatus, headerValue, protocolCheck } from "../codec.js";
import { verifyHmacSm3 } from "../signature.js";
import {
  assistanceEnvelope,
  assistanceReportBody,
  assistanceResponse,
  assistanceStatusBody,
  toAssistanceReport,
} from "./assistanceWire.js";
import {
  faultIn,
  personInquiryEnvelope,
  personInquiryResponse,
  readSoapReply,
  requestStatusEnvelope,
  soapAction,
  type SoapFault,
} from "./soap.js";

const KIND = "POLICE";

export const policeConnector: AgencyConnector & AssistanceConnector = {
  kind: KIND,
  protocol:
    "公安: SOAP 1.1 web service. POST {base}/services/PersonInquiry (SOAPAction urn:gongan:zxlk:v1#PersonInquiry), synchronous; " +
    "POST {base}/services/Assistance (…#Assistance), accepted at once and reported later by signed callback; " +
    "the RequestId element carries the idempotency key; " +
    "POST {base}/services/RequestStatus answers an earlier request again",

  async inquire(call, ctx) {
    return readInquiryReply(call, await exchange("PersonInquiry", personInquiryEnvelope(call), ctx));
  },

  async recall(call, ctx) {
    const reply = await recallExchange(call.idempotencyKey, ctx);
    return reply && readInquiryReply(call, reply);
  },

  async assist(call, ctx) {
    return readAssistanceReply(call.idempotencyKey, await exchange("Assistance", assistanceEnvelope(call), ctx));
  },

  async recallAssistance(call, ctx) {
    const reply = await recallExchange(call.idempotencyKey, ctx);
    return reply && readAssistanceReply(call.idempotencyKey, reply);
  },

  acceptAssistanceReport(body, headers, ctx) {
    // Verify before parsing: nothing from an unauthenticated body may reach a case file.
    if (!verifyHmacSm3(ctx.secret, body, headerValue(headers, "x-signature"))) {
      throw new AgencyProtocolError(`${KIND} assistance report signature does not verify`, body);
    }
    return toAssistanceReport(decodeJson(KIND, body, assistanceReportBody));
  },

  async assistanceStatus(requestKey, ctx) {
    const reply = await ctx.transport.send(`/services/Assistance/${encodeURIComponent(requestKey)}`, { method: "GET" });
    expectStatus(KIND, reply, 200);
    const status = decodeJson(KIND, reply.body, assistanceStatusBody);
    if (status === undefined) return undefined;
    const report = toAssistanceReport(status);
    protocolCheck(report.requestKey === requestKey, KIND, reply.body, `reports on request ${report.requestKey}, not ${requestKey}`);
    return { report, raw: reply.body };
  },
};

/** The original reply to an earlier request, or undefined when the police never received it. */
async function recallExchange(key: string, ctx: ConnectorContext): Promise<{ status: number; body: string } | undefined> {
  const reply = await exchange("RequestStatus", requestStatusEnvelope(key), ctx);
  const fault = faultIn(reply.body);
  return fault?.code === "Client" && fault.subcode === "UnknownRequest" ? undefined : reply;
}

function readAssistanceReply(key: string, reply: { status: number; body: string }): AssistanceOutcome {
  const soap = readSoapReply(reply.body, "AssistanceResponse", assistanceResponse);
  if (soap.kind === "FAULT") return fromFault(soap, reply.body);
  expectStatus(KIND, reply, 200);
  answersCall(soap.response.RequestId, key, KIND, reply.body);
  return { kind: "ACCEPTED", reference: soap.response.Reference, raw: reply.body };
}

function readInquiryReply(call: InquiryCall, reply: { status: number; body: string }): ConnectorOutcome {
  const soap = readSoapReply(reply.body, "PersonInquiryResponse", personInquiryResponse);
  if (soap.kind === "FAULT") return fromFault(soap, reply.body);
  expectStatus(KIND, reply, 200);
  const response = soap.response;
  answersCall(response.RequestId, call.idempotencyKey, KIND, reply.body);
  // NOT_FOUND and NOT_APPLICABLE (organisations) are answers too: the police hold nothing on this debtor.
  if (response.Result !== "FOUND") return { kind: "ANSWERED", findings: { assets: [] }, raw: reply.body };
  const person = response.Person;
  const identity: IdentityRecord = {
    name: person.Name,
    nameMatches: comparableName(person.Name) === comparableName(call.debtor.name),
    sex: person.Sex === undefined ? undefined : person.Sex === "1" ? "MALE" : "FEMALE",
    birthDate: person.BirthDate,
    householdAddress: person.HouseholdAddress,
    householdRegistrationAuthority: person.RegistrationAuthority,
    recentWhereabouts: response.Whereabouts.map((w) => ({ at: w.Time, place: w.Place, kind: w.Type })),
  };
  return { kind: "ANSWERED", findings: { assets: [], identity }, raw: reply.body };
}

/**
 * SOAP 1.1 (§6.2) sends every fault with HTTP 500, which the transport reports
 * as transient; hand such a body back so the fault code, not the status,
 * decides between refusal and retry.
 */
async function exchange(operation: string, envelope: string, ctx: ConnectorContext): Promise<{ status: number; body: string }> {
  try {
    return await ctx.transport.send(`/services/${operation}`, {
      method: "POST",
      headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction(operation) },
      body: envelope,
    });
  } catch (error) {
    if (error instanceof TransientAgencyError && error.raw !== undefined && faultIn(error.raw)) return { status: 500, body: error.raw };
    throw error;
  }
}

function fromFault(fault: SoapFault, raw: string): { kind: "REFUSED"; reason: string; raw: string } {
  switch (fault.code) {
    case "Client":
      return { kind: "REFUSED", reason: fault.reason, raw };
    case "Server":
      throw new TransientAgencyError(`${KIND} soap:Server fault: ${fault.reason}`, raw);
    default:
      // VersionMismatch or MustUnderstand: our envelope is wrong, resending it cannot help.
      throw new AgencyProtocolError(`${KIND} fault ${fault.code}: ${fault.reason}`, raw);
  }
}

/** Registries and case systems differ in character width and stray spaces, not in the name itself. */
function comparableName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "");
}
