/**
 * POST /agency-callbacks/<AGENCY>[/<topic>]: what agencies send on their own. Without a topic, late
 * answers to requests (the dispatcher); with one, the reports of the receiver registered under it
 * (hub.ts: `measures`, `assistance`). An agency over the per-caller rate limit is answered 429 with Retry-After
 * before its body is read; an unknown agency or topic is answered 404, a callback that cannot be
 * verified or decoded 401, anything else 500 with a correlation id for the log; every answer but 204 is JSON.
 */
import { randomUUID } from "node:crypto";
import { AGENCY_KINDS, type AgencyKind } from "../../connectors/connector.js";
import type { HubError } from "../errors.js";
import type { Logger } from "../logger.js";
import { readBody } from "./apolloHandler.js";
import type { HttpRoute } from "./httpRoute.js";
import { sendJson } from "./sendJson.js";

/** Verifies and applies one callback; rejects with `transient: false` when it cannot be verified or decoded. */
export type CallbackReceiver = (kind: AgencyKind, body: string, headers: Record<string, string | undefined>) => Promise<void>;

export const AGENCY_CALLBACKS_PATH = "/agency-callbacks/";

export function agencyCallbackRoute(deps: {
  answers: CallbackReceiver;
  topics: Record<string, CallbackReceiver>;
  /** Counts a callback of the agency; a refusal when it is over the limit (requestRates.ts, agencyCallbackRates). */
  rate: (agency: AgencyKind) => Promise<HubError | undefined>;
  log: Logger;
}): HttpRoute {
  const { answers, topics, rate, log } = deps;
  return {
    method: "POST",
    path: AGENCY_CALLBACKS_PATH,
    async handle(request, response, path, maxBodyBytes) {
      const [kind, topic] = path.slice(AGENCY_CALLBACKS_PATH.length).split("/") as [AgencyKind, string | undefined];
      if (!AGENCY_KINDS.includes(kind) || (topic !== undefined && !Object.hasOwn(topics, topic))) {
        sendJson(response, 404, { code: "NOT_FOUND", message: "no such agency or callback topic" });
        return;
      }
      // Before the body is read: a flood costs the hub no more than counting it.
      const limited = await rate(kind);
      if (limited) {
        const { retryAfterSeconds } = limited.details;
        response.setHeader("retry-after", String(retryAfterSeconds));
        sendJson(response, 429, { code: limited.code, message: limited.message, ...limited.details });
        return;
      }
      const headers = request.headers as Record<string, string | undefined>;
      const body = await readBody(request, maxBodyBytes);
      await (topic ? topics[topic](kind, body, headers) : answers(kind, body, headers))
        .then(() => response.writeHead(204).end())
        .catch((error: unknown) => {
          // A callback we cannot verify or decode is the agency's problem to resend correctly; say why.
          if ((error as { transient?: boolean }).transient === false) {
            log.warn({ err: error, agency: kind }, "agency callback refused");
            sendJson(response, 401, { code: "CALLBACK_REFUSED", message: String((error as Error).message) });
            return;
          }
          const correlationId = randomUUID();
          log.error({ err: error, agency: kind, correlationId }, "agency callback failed");
          sendJson(response, 500, { code: "INTERNAL_SERVER_ERROR", message: "internal error", correlationId });
        });
    },
  };
}
