/**
 * An inquiry at a sandbox registry (property, vehicle): the subject as the registry names its fields, checked
 * as every agency checks it (idNumbers.ts), then the subject's records the channel reaches, each with the
 * encumbrances an inquiry shows, the registry's own measures included (MeasureRegister.encumbrancesOf). Each
 * registry then writes the records in its own wire format.
 */
import { jsonObjectOf, textOf, type Agency, type AgencyReply, type Channel, type Route, type Submission } from "./agencyServer.js";
import { objectOf, type MeasureRegister } from "./controls.js";
import type { Encumbrance } from "./debtorProfile.js";
import { declaredKindOf, subjectRefusal, type DebtorIdKind } from "./idNumbers.js";
import type { Register } from "./register.js";

/** Where the registry's request names the subject, what it calls the kinds, and its words for refusals. */
export interface SubjectWire {
  readonly name: string;
  readonly idNumber: string;
  readonly kind: string;
  readonly kinds: Readonly<Record<string, DebtorIdKind>>;
  readonly words: { readonly name: string; readonly type: string };
}

export function searchRegister<T extends { divisionCode: string }>(
  register: Register<T>,
  controls: MeasureRegister,
  request: { subject: unknown; wire: SubjectWire; channel: Channel },
  asset: (record: T) => readonly [identifier: string, recorded: readonly Encumbrance[]],
): { refusal: string } | { found: { record: T; encumbrances: Encumbrance[] }[] } {
  const { wire } = request;
  const subject = objectOf(request.subject) ?? {};
  const idNumber = textOf(subject[wire.idNumber]) ?? "";
  const refusal = subjectRefusal(
    { name: textOf(subject[wire.name]), idNumber, declaredKind: declaredKindOf(wire.kinds, subject[wire.kind]) },
    wire.words,
  );
  if (refusal) return { refusal };
  return {
    found: register
      .reachable(idNumber, request.channel)
      .map((record) => ({ record, encumbrances: controls.encumbrancesOf(...asset(record)) })),
  };
}

/** Where a registry's inquiry arrives and how it carries its idempotency key: in a header the body repeats. */
export interface RegistryInquiryWire {
  readonly path: string;
  /** As the registry documents it, e.g. "Idempotency-Key". */
  readonly keyHeader: string;
  /** The body field repeating the key, e.g. "requestId". */
  readonly keyField: string;
}

/**
 * `POST {base}{path}`: an inquiry whose body and key are checked as every registry checks them, before it is
 * executed once per key; `answer` then gives the registry's reply in its own wire format.
 */
export function registryInquiryRoute(
  agency: Pick<Agency, "errorReply">,
  wire: RegistryInquiryWire,
  answer: (key: string, body: Record<string, unknown>, channel: Channel) => AgencyReply,
): Route {
  return {
    method: "POST",
    path: wire.path,
    handle: (request): AgencyReply | Submission => {
      const body = jsonObjectOf(request);
      if (!body) return agency.errorReply(400, "body is not a JSON object");
      const key = textOf(request.headers[wire.keyHeader.toLowerCase()]);
      if (!key) return agency.errorReply(400, `${wire.keyHeader} header is required`);
      if (body[wire.keyField] !== key) return agency.errorReply(400, `${wire.keyField} must equal the ${wire.keyHeader} header`);
      return { idempotencyKey: key, execute: () => answer(key, body, request.channel) };
    },
  };
}
