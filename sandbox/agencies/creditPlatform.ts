/**
 * 信用平台: synchronous JSON over GET.
 * `GET {base}/credit/v2/subjects/{idNumber}/sanctions?requestId=&case=` lists
 * the joint sanctions in force on the subject (code 0) or refuses (code 4001):
 * those of its own records (the debtor's profile) and the court list entries the
 * hub has pushed to it (`POST {base}/credit/v2/sanction-batches`, SM2-signed, acknowledged
 * signed with the platform's own SM2 key;
 * `GET {base}/credit/v2/sanction-state` shows what it holds).
 * `GET {base}/credit/v2/requests/{requestId}` answers a request again as it was
 * answered, or 404 with code 4004 when it never arrived.
 */
import {
  jsonReply,
  textOf,
  type Agency,
  type AgencyReply,
  type AgencyRequest,
  type Lookup,
  type Route,
  type Submission,
} from "../agencyServer.js";
import type { Sm2KeyPairPem } from "../../gateway/signing/sm2Keys.js";
import { cachedDebtorProfile } from "../debtorProfile.js";
import { debtorIdKind } from "../idNumbers.js";
import { SanctionReceiver, type HeldEntry, type PartnerTrust } from "../partners/sanctionReceiver.js";

const REFUSED = 4001;
const NEVER_RECEIVED = 4004;

export const CREDIT_PLATFORM_BATCH_PATH = "/credit/v2/sanction-batches";

export class CreditPlatform implements Agency {
  readonly receiver: SanctionReceiver;
  readonly routes: readonly Route[] = [
    { method: "GET", path: "/credit/v2/subjects/:idNumber/sanctions", handle: (request) => this.inquire(request) },
    {
      method: "GET",
      path: "/credit/v2/requests/:requestId",
      handle: ({ params }): Lookup => ({
        lookupKey: params.requestId,
        unknown: jsonReply(404, { code: NEVER_RECEIVED, requestId: params.requestId, msg: "未收到该请求" }),
      }),
    },
    { method: "POST", path: CREDIT_PLATFORM_BATCH_PATH, handle: (request) => this.receiver.receive(request) },
    {
      method: "GET",
      path: "/credit/v2/sanction-state",
      handle: () => jsonReply(200, { entries: this.receiver.state(), violations: this.receiver.violations }),
    },
  ];

  constructor(trust: PartnerTrust = {}, key?: Sm2KeyPairPem) {
    this.receiver = new SanctionReceiver("CREDIT_PLATFORM", trust, key);
  }

  /** The platform's codes are the HTTP status times ten (4000, 5030) for failures outside the protocol. */
  errorReply(status: number, message: string): AgencyReply {
    return jsonReply(status, { code: status * 10, msg: message });
  }

  /** Forgets the list entries received; the rest comes fresh from the debtor's profile on every request. */
  reset(): void {
    this.receiver.reset();
  }

  private inquire(request: AgencyRequest): AgencyReply | Submission {
    const key = textOf(request.headers["idempotency-key"]);
    if (!key) return this.errorReply(400, "Idempotency-Key header is required");
    if (request.query.get("requestId") !== key) return this.errorReply(400, "requestId must equal the Idempotency-Key header");
    const caseNumber = textOf(request.query.get("case"));
    const { idNumber } = request.params;
    return {
      idempotencyKey: key,
      execute: () => {
        if (!caseNumber) return jsonReply(200, { code: REFUSED, msg: "案号不能为空" });
        if (!debtorIdKind(idNumber)) return jsonReply(200, { code: REFUSED, msg: "证件号码校验失败" });
        return jsonReply(200, {
          code: 0,
          data: {
            subject: idNumber,
            sanctions: [...cachedDebtorProfile(idNumber).sanctions, ...this.receiver.entriesOf(idNumber).map(toWire)],
          },
        });
      },
    };
  }
}

/** A court list entry as the platform reports it; its profile carries court, case number and dates. */
function toWire(entry: HeldEntry) {
  const { court, caseNumber, startsOn, expiresOn } = entry.fields as Record<string, string | null | undefined>;
  return {
    listType: entry.list,
    authority: court ?? "人民法院",
    docNo: caseNumber ?? entry.entryId,
    since: startsOn,
    ...(expiresOn ? { until: expiresOn } : {}),
  };
}
