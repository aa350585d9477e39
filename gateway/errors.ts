/**
 * The typed errors clients can rely on: the code is stable and machine-readable,
 * the message is for the officer reading it. Services throw them knowing nothing
 * of GraphQL; the HTTP and WebSocket edges turn code and details into
 * `extensions` (gateway/http/graphqlErrors.ts).
 */

export type HubErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CASE_NOT_FOUND"
  | "NOT_FOUND"
  | "DEBTOR_NOT_A_PARTY"
  | "CASE_CONFLICT"
  | "CASE_NOT_ACTIVE"
  | "CASE_STEP_NOT_ALLOWED"
  | "CONCLUSION_CONDITIONS_UNMET"
  | "CARRY_OVER_NOT_ALLOWED"
  | "NO_ROUTE"
  | "AGENCY_CANNOT_CONTROL"
  | "MEASURE_NOT_FOUND"
  | "MEASURE_NOT_IN_FORCE"
  | "MEASURE_NOT_CARRIED_BY_HUB"
  | "DEDUCTION_FINAL"
  | "ASSISTANCE_NOT_FOUND"
  | "EXIT_RESTRICTION_NOT_IN_FORCE"
  | "SANCTION_NOT_FOUND"
  | "SANCTION_NOT_LISTED"
  | "SANCTION_ALREADY_LISTED"
  | "SANCTION_NOT_EXTENDABLE"
  | "SANCTION_NOT_A_RESTRICTION"
  | "PARTNER_NOT_FOUND"
  | "DEAD_LETTER_NOT_FOUND"
  | "PARTNER_INACTIVE"
  | "PARTNER_ACTIVATION_UNCHANGED"
  | "DATABASE_UNAVAILABLE"
  | "BAD_REQUEST"
  | "INTERNAL_SERVER_ERROR"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "QUERY_TOO_LONG"
  | "QUERY_TOO_DEEP"
  | "QUERY_TOO_COSTLY"
  | "TOO_MANY_ALIASES"
  | "TOO_MANY_DIRECTIVES"
  | "TOO_MANY_MUTATIONS"
  | "TOO_MANY_REPRESENTATIONS"
  | "TOO_MANY_DEBTORS"
  | "TOO_MANY_DOCUMENTS";

/**
 * `Code` is only ever given explicitly by guardRefused, whose codes are the legal guards' own; everywhere else the
 * code must be one of HubErrorCode (NoInfer keeps a misspelt code from widening the type instead).
 */
export class HubError<Code extends string = HubErrorCode> extends Error {
  override readonly name = "HubError";

  constructor(
    readonly code: NoInfer<Code>,
    message: string,
    /** What explains the refusal to a program (the field, the reason, a guard's figures); clients see them beside the code. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const invalidField = (field: string, reason: string) => new HubError("BAD_USER_INPUT", `${field}: ${reason}`, { field, reason });

/**
 * A legal guard said no (domain/measures/*): the guard's own stable code, its
 * reason and its figures (e.g. by how much an order is over) reach the client.
 */
export function guardRefused(refusal: { code: string; reason: string } & Record<string, unknown>): HubError<string> {
  const { ok: _ok, code, reason, ...details } = refusal;
  return new HubError<string>(code, reason, details);
}
