/**
 * Outcome of reading an identifier typed by a clerk or sent by a partner.
 * A refusal carries an English sentence meant to be shown as is, so that the
 * person who typed the value can see which part to correct.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
