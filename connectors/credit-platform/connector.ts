import type { AgencyConnector, ConnectorOutcome, CreditRecord, InquiryCall } from "../connector.js";
import { decodeJson, expectStatus, protocolCheck } from "../codec.js";
import type { AgencyResponse } from "../transport.js";
import { neverReceivedReply, sanctionsReply, type Sanction } from "./wire.js";

const KIND = "CREDIT_PLATFORM";

export const creditPlatformConnector: AgencyConnector = {
  kind: KIND,
  protocol:
    "信用平台: synchronous JSON, GET {base}/credit/v2/subjects/{idNumber}/sanctions?requestId=…&case=… with Idempotency-Key; " +
    "GET {base}/credit/v2/requests/{requestId} answers an earlier request again",

  async inquire(call, ctx) {
    const query = new URLSearchParams({ requestId: call.idempotencyKey, case: call.caseNumber });
    const reply = await ctx.transport.send(`/credit/v2/subjects/${encodeURIComponent(call.debtor.idNumber)}/sanctions?${query}`, {
      method: "GET",
      headers: { "Idempotency-Key": call.idempotencyKey },
    });
    return readReply(call, reply);
  },

  async recall(call, ctx) {
    const reply = await ctx.transport.send(`/credit/v2/requests/${encodeURIComponent(call.idempotencyKey)}`, { method: "GET" });
    if (reply.status !== 404) return readReply(call, reply);
    decodeJson(KIND, reply.body, neverReceivedReply(call.idempotencyKey));
    return undefined;
  },
};

function readReply(call: InquiryCall, reply: AgencyResponse): ConnectorOutcome {
  expectStatus(KIND, reply, 200);
  const decoded = decodeJson(KIND, reply.body, sanctionsReply);
  if (decoded.code === 4001) return { kind: "REFUSED", reason: decoded.msg, raw: reply.body };
  protocolCheck(
    decoded.data.subject === call.debtor.idNumber,
    KIND,
    reply.body,
    `is about subject ${decoded.data.subject}, not the debtor asked about`,
  );
  const credit: CreditRecord = { sanctions: decoded.data.sanctions.map(toSanction) };
  return { kind: "ANSWERED", findings: { assets: [], credit }, raw: reply.body };
}

function toSanction(sanction: Sanction): CreditRecord["sanctions"][number] {
  return {
    list: sanction.listType,
    authority: sanction.authority,
    reference: sanction.docNo,
    since: sanction.since,
    until: sanction.until,
  };
}
