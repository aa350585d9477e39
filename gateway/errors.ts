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
  | "NO_ROUTE";

export class HubError extends GraphQLError {
  constructor(code: HubErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

export const invalidField = (field: string, reason: string) =>
  new HubError("BAD_USER_INPUT", `${field}: ${reason}`, { field, reason });
