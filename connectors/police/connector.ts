import {
  AgencyProtocolError,
  TransientAgencyError,
  type AgencyConnector,
  type ConnectorContext,
  type ConnectorOutcome,
  type IdentityRecord,
  type InquiryCall,
} from "../connector.js";
import { expectStatus, protocolCheck } from "../codec.js";
import { faultIn, personInquiryEnvelope, readSoapReply, requestStatusEnvelope, SOAP_ACTION, STATUS_ACTION, type SoapFault } from "./soap.js";

const KIND = "POLICE";

export const policeConnector: AgencyConnector = {
  kind: KIND,
  protocol: "公安: SOAP 1.1 web service, POST {base}/services/PersonInquiry (SOAPAction urn:gongan:zxlk:v1#PersonInquiry); synchronous; the RequestId element carries the idempotency key; POST {base}/services/RequestStatus answers an earlier request again",

  async inquire(call, ctx) {
    return readReply(call, await exchange("/services/PersonInquiry", SOAP_ACTION, personInquiryEnvelope(call), ctx));
  },

  async recall(call, ctx) {
    const reply = await exchange("/services/RequestStatus", STATUS_ACTION, requestStatusEnvelope(call.idempotencyKey), ctx);
    const fault = faultIn(reply.body);
    return fault?.code === "Client" && fault.subcode === "UnknownRequest" ? undefined : readReply(call, reply);
  },
};

function readReply(call: InquiryCall, reply: { status: number; body: string }): ConnectorOutcome {
  const soap = readSoapReply(reply.body);
  if (soap.kind === "FAULT") return fromFault(soap, reply.body);
  expectStatus(KIND, reply, 200);
  const response = soap.response;
  protocolCheck(response.RequestId === call.idempotencyKey, KIND, reply.body, `answers request ${response.RequestId}, not ${call.idempotencyKey}`);
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
async function exchange(path: string, soapAction: string, envelope: string, ctx: ConnectorContext): Promise<{ status: number; body: string }> {
  try {
    return await ctx.transport.send(path, {
      method: "POST",
      headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction },
      body: envelope,
    });
  } catch (error) {
    if (error instanceof TransientAgencyError && error.raw !== undefined && faultIn(error.raw)) return { status: 500, body: error.raw };
    throw error;
  }
}

function fromFault(fault: SoapFault, raw: string): ConnectorOutcome {
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
