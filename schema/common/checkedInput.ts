/**
 * Where every argument meets its rule, before any resolver runs: input type
 * fields name their rule with `@Checked`, and type-graphql hands each argument
 * to `checkInput` (buildHubSchema's `validateFn`). Text without a rule of its own
 * is held to DEFAULT_RULE, so no string reaches a service unchecked. A refusal
 * is BAD_USER_INPUT naming the field path and the rule, so nothing is written or
 * sent for it.
 */

import type { ValidatorFn } from "type-graphql";
import { todayInChina } from "../../domain/calendarDate.js";
import { HubError } from "../../gateway/errors.js";
import { DEFAULT_RULE, type InputRule } from "./inputRules.js";

const rulesByType = new Map<object, Map<string, InputRule>>();

/** Names the rule a field of an input type is checked by. */
export function Checked(rule: InputRule): PropertyDecorator {
  return (prototype, property) => {
    const rules = rulesByType.get(prototype) ?? new Map<string, InputRule>();
    rules.set(String(property), rule);
    rulesByType.set(prototype, rules);
  };
}

/** The field's rule, inherited from the input type it extends, else the default. */
function ruleOf(value: object, field: string): InputRule {
  for (let prototype = Object.getPrototypeOf(value); prototype; prototype = Object.getPrototypeOf(prototype)) {
    const rule = rulesByType.get(prototype)?.get(field);
    if (rule) return rule;
  }
  return DEFAULT_RULE;
}

function check(value: unknown, path: string, rule: InputRule, today: string): void {
  if (typeof value === "string") {
    const broken = rule(value, today);
    if (broken)
      throw new HubError("BAD_USER_INPUT", `${path}: ${broken.reason}`, { field: path, rule: broken.rule, reason: broken.reason });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) check(item, `${path}[${index}]`, rule, today);
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const [field, fieldValue] of Object.entries(value)) check(fieldValue, `${path}.${field}`, ruleOf(value, field), today);
  }
}

/**
 * type-graphql gives the argument's value but not its name: the name is found among the request's arguments, by the
 * value itself for text, else as the one input object (the hub's operations take at most one).
 */
function argumentName(value: unknown, args: Record<string, unknown>): string {
  const names = Object.keys(args);
  const byValue = names.find((name) => args[name] === value);
  return byValue ?? names.find((name) => args[name] !== null && typeof args[name] === "object") ?? "input";
}

export const checkInput: ValidatorFn = (value, _type, { args }) => {
  check(value, argumentName(value, args), DEFAULT_RULE, todayInChina());
};
