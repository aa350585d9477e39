/**
 * What an input rule says when a value breaks it: a stable rule name a program can
 * branch on, and a reason for the officer who typed the value.
 */
export interface InputViolation {
  readonly rule: string;
  readonly reason: string;
}

export const violation = (rule: string, reason: string): InputViolation => ({ rule, reason });
