/**
 * Outcome of a legal guard on a control measure (控). A refusal carries a stable
 * code for programs, an English sentence meant to be shown as is, and the figures
 * that explain it (how much over, which date was the last allowed, ...), so that the
 * clerk can correct the order and the audit trail says why it was not sent.
 *
 * Same spirit as domain/parseResult.ts, with a code added: a guard refuses for
 * reasons a client must be able to tell apart.
 */

export type Refusal<Code extends string, Details extends object = Record<never, never>> = {
  readonly ok: false;
  readonly code: Code;
  readonly reason: string;
} & Readonly<Details>;

export function refuseWith<Code extends string>(code: Code, reason: string): Refusal<Code>;
export function refuseWith<Code extends string, Details extends object>(
  code: Code,
  reason: string,
  details: Details,
): Refusal<Code, Details>;
export function refuseWith(code: string, reason: string, details: object = {}): Refusal<string, object> {
  return { ok: false, code, reason, ...details };
}

export type InvalidDate = Refusal<"INVALID_DATE", { field: string; value: string }>;

export function invalidDate(field: string, value: string): InvalidDate {
  return refuseWith("INVALID_DATE", `${field} must be a YYYY-MM-DD calendar date; got ${JSON.stringify(value)}`, {
    field,
    value: String(value),
  });
}
