/**
 * The typed errors clients can rely on: `extensions.code` is stable and
 * machine-readable, the message is for the officer reading it.
 */
import { GraphQLError } from "graphql";

export type HubErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CASE_NOT_FOUND"
  | "NOT_FOUND"
  | "DEBTOR_NOT_A_PARTY"
  | "CASE_CONFLICT"
  | "NO_ROUTE"
  | "AGENCY_CANNOT_CONTROL"
  | "MEASURE_NOT_FOUND"
  | "MEASURE_NOT_IN_FORCE"
  | "DEDUCTION_FINAL"
  | "ASSISTANCE_NOT_FOUND"
  | "EXIT_RESTRICTION_NOT_IN_FORCE"
  | "SANCTION_NOT_FOUND"
  | "SANCTION_NOT_LISTED"
  | "SANCTION_ALREADY_LISTED"
  | "SANCTION_NOT_EXTENDABLE"
  | "PARTNER_NOT_FOUND"
  | "DEAD_LETTER_NOT_FOUND"
  | "PARTNER_INACTIVE"
  | "PARTNER_ACTIVATION_UNCHANGED";

export class HubError extends GraphQLError {
  constructor(code: HubErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

export const invalidField = (field: string, reason: string) => new HubError("BAD_USER_INPUT", `${field}: ${reason}`, { field, reason });

/**
 * A legal guard said no (domain/measures/*): the guard's own stable code, its
 * reason and its figures (e.g. by how much an order is over) reach the client.
 */
export function guardRefused(refusal: { code: string; reason: string } & Record<string, unknown>): GraphQLError {
  const { ok: _ok, code, reason, ...details } = refusal;
  return new GraphQLError(reason, { extensions: { code, ...details } });
}
