import type { AgencyConnector, ControlConnector, InquiryCall, VehicleFinding } from "../connector.js";
import { decodeJson, expectStatus, pollDelay, registryControl, registryInquiry } from "../codec.js";
import { pollReply, ticketReply, type Vehicle, type VehicleQueryRequest } from "./wire.js";

const KIND = "VEHICLE_REGISTRY";
const LOOKUP_PATH = "/api/requests";

export const vehicleRegistryConnector: AgencyConnector & ControlConnector = {
  kind: KIND,
  protocol:
    "车管所: asynchronous ticket, POST {base}/api/queries with Idempotency-Key returns a ticket; " +
    "GET {base}/api/queries/{ticket} until DONE or REJECTED; GET {base}/api/requests/{key} answers an earlier request again. " +
    "Seals (查封), seizures (扣押), releases, renewals: synchronous JSON, POST {base}/api/controls; " +
    "a queued measure taking effect later is reported by an HMAC-SM3 signed callback",

  ...registryControl({
    kind: KIND,
    path: "/api/controls",
    lookupPath: LOOKUP_PATH,
    assetField: "plate",
    measureKinds: ["SEAL", "SEIZE"],
    assetCategory: "MOVABLE",
  }),

  // The lookup of a key answers the ticket the registry handed out for it; polling it then gives the answer.
  // A replayed key may be answered 200 rather than 202; the body is the same ticket either way.
  ...registryInquiry({
    kind: KIND,
    path: "/api/queries",
    keyHeader: "Idempotency-Key",
    lookupPath: LOOKUP_PATH,
    statuses: [202, 200],
    encode: toRequest,
    decoder: ticketReply,
    outcome: (accepted, raw) => ({ kind: "PENDING", ticket: accepted.ticket, pollAfterMs: pollDelay(accepted.retryAfterMs), raw }),
  }),

  async poll(ticket, call, ctx) {
    const reply = await ctx.transport.send(`/api/queries/${encodeURIComponent(ticket)}`, {
      method: "GET",
      headers: { "Idempotency-Key": call.idempotencyKey },
    });
    // 404 (unknown ticket) is left to expectStatus: the agency lost the query, and only the
    // dispatcher can decide to inquire again under the same idempotency key.
    expectStatus(KIND, reply, 200);
    const state = decodeJson(KIND, reply.body, pollReply);
    switch (state.state) {
      case "PROCESSING":
        return { kind: "PENDING", ticket, pollAfterMs: pollDelay(state.retryAfterMs), raw: reply.body };
      case "REJECTED":
        return { kind: "REFUSED", reason: state.reason, raw: reply.body };
      case "DONE":
        return { kind: "ANSWERED", findings: { assets: state.vehicles.map(toFinding) }, raw: reply.body };
    }
  },
};

function toRequest(call: InquiryCall): VehicleQueryRequest {
  return {
    reqId: call.idempotencyKey,
    case: call.caseNumber,
    court: call.courtCode,
    owner: {
      idType: call.debtor.kind === "PERSON" ? "RESIDENT_ID" : "CREDIT_CODE",
      idNo: call.debtor.idNumber,
      name: call.debtor.name,
    },
  };
}

function toFinding(vehicle: Vehicle): VehicleFinding {
  return {
    type: "VEHICLE",
    identifier: vehicle.plate,
    plateNumber: vehicle.plate,
    vin: vehicle.vin,
    brand: vehicle.make,
    model: vehicle.model,
    colour: vehicle.color,
    registeredOn: vehicle.firstRegistered,
    description: `${vehicle.plate} ${vehicle.make}${vehicle.model}（${vehicle.color}）`,
    estimatedValue: vehicle.valuation,
    encumbrances: vehicle.restrictions.map((r) => ({
      type: r.kind,
      byAuthority: r.by,
      reference: r.ref,
      since: r.since,
      rank: r.rank,
    })),
  };
}
