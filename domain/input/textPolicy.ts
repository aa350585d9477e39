/**
 * What any text the hub accepts may contain. Text is stored, signed, sent to
 * agencies and published to partners: a NUL is refused by PostgreSQL, a lone
 * surrogate cannot be encoded as UTF-8, other control and bidirectional
 * formatting characters make a record print differently from what it holds, and
 * unbounded text is a way to fill the database and partners' feeds.
 */

import { type InputViolation, violation } from "./inputViolation.js";

/** Bounds of one text field. */
export interface TextPolicy {
  /** Most characters (code points) allowed. */
  readonly maxLength: number;
  /** Whether line breaks (LF, CR) and tabs are allowed: free-text accounts are paragraphs, names and numbers are one line. */
  readonly multiline: boolean;
}

// C0 controls, DEL and C1 controls, the bidirectional embeddings, overrides and isolates, and the noncharacters U+FFFE/U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/u;
const LINE_BREAK_OR_TAB = /[\t\n\r]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What no text may hold wherever it is, with or without a rule of its own (the edge checks every string of a
 * request by it): a lone surrogate, which is not Unicode, and NUL, which PostgreSQL cannot store.
 */
export function checkStorable(value: string): InputViolation | null {
  if (LONE_SURROGATE.test(value)) return violation("LONE_SURROGATE", "contains a lone UTF-16 surrogate, which is not a character");
  return value.includes("\u0000") ? violation("CONTROL_CHARACTER", "contains the control character U+0000") : null;
}

/** Checks well-formedness, control characters and length, in that order; null when the text is acceptable. */
export function checkText(value: string, policy: TextPolicy): InputViolation | null {
  const unstorable = checkStorable(value);
  if (unstorable) return unstorable;
  const checked = policy.multiline ? value.replace(LINE_BREAK_OR_TAB, " ") : value;
  const control = CONTROL.exec(checked);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).padStart(4, "0").toUpperCase();
    return violation("CONTROL_CHARACTER", `contains the control character U+${code}${policy.multiline ? "" : " (one line only)"}`);
  }
  // Counted in code points, as an officer counts characters: a rare 汉字 outside the BMP is one character.
  let length = 0;
  for (const _ of value) {
    if (++length > policy.maxLength) return violation("MAX_LENGTH", `is longer than ${policy.maxLength} characters`);
  }
  return null;
}
