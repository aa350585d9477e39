/**
 * Where every argument meets its rule, before any resolver runs: input type
 * fields name their rule with `@Checked`, and type-graphql hands each argument
 * to `checkInput` (buildHubSchema's `validateFn`); arguments are held to the rule
 * of the input field of their name (ARGUMENT_RULES). Text without a rule of its
 * own is held to DEFAULT_RULE, so no string reaches a service unchecked. What
 * type-graphql never validates, the arguments a subscription starts with and the
 * `_entities` representations, meets the same rules (`checkUnvalidatedArguments`).
 * A refusal is BAD_USER_INPUT naming the field path and the rule, so nothing is
 * written or sent for it.
 */

import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import type { ValidatorFn } from "type-graphql";
import { todayInChina } from "../../domain/calendarDate.js";
import { HubError } from "../../gateway/errors.js";
import type { HubContext } from "../context.js";
import { DEFAULT_RULE, type InputRule, inputRules } from "./inputRules.js";

/** Arguments (and entity keys) named as an input field with a rule of its own are held to that rule. */
const ARGUMENT_RULES: Readonly<Record<string, InputRule>> = { caseNumber: inputRules.caseNumber };

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

/** `path` is the field path clients know from the services' errors: an input object's fields by their own names. */
function check(value: unknown, path: string, rule: InputRule, today: string): void {
  if (typeof value === "string") {
    const broken = rule(value, today);
    if (broken)
      throw new HubError("BAD_USER_INPUT", `${path}: ${broken.reason}`, { field: path, rule: broken.rule, reason: broken.reason });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) check(item, `${path}[${index}]`, rule, today);
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const [field, fieldValue] of Object.entries(value))
      check(fieldValue, path ? `${path}.${field}` : field, ruleOf(value, field), today);
  }
}

/**
 * type-graphql gives the argument's value but not its name. An input object's fields are named as the services name
 * them (`debtors[0].idNumber`); text arguments by their own name, found among the request's arguments by the value.
 */
export const checkInput: ValidatorFn = (value, _type, { args, context }) => {
  const name = typeof value === "string" ? Object.keys(args).find((candidate) => args[candidate] === value) : undefined;
  // The hub's clock, which tests move, dates the ranges as it dates the legal guards.
  check(value, name ?? "", (name && ARGUMENT_RULES[name]) || DEFAULT_RULE, todayOf(context));
};

const todayOf = (context: unknown) => todayInChina((context as HubContext).hub.clock());

/** Each argument by its name, as checkInput checks the arguments of queries and mutations. */
function checkArguments(args: Record<string, unknown>, today: string, prefix = ""): void {
  for (const [name, value] of Object.entries(args)) check(value, `${prefix}${name}`, ARGUMENT_RULES[name] ?? DEFAULT_RULE, today);
}

/**
 * Subscriptions' `subscribe` and `_entities` get their arguments as sent: type-graphql validates a subscription's
 * arguments only when an event is resolved, and `_entities` is @apollo/subgraph's. Both are held here, in place.
 */
export function checkUnvalidatedArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    field.subscribe = (root, args, context, info) => {
      checkArguments(args, todayOf(context));
      return subscribe(root, args, context, info);
    };
  }
  const queryType = schema.getQueryType();
  const entities = queryType && isObjectType(queryType) ? queryType.getFields()._entities : undefined;
  const resolve = entities?.resolve;
  if (entities && resolve) {
    entities.resolve = ((root, args: { representations?: unknown }, context, info) => {
      const representations = Array.isArray(args.representations) ? args.representations : [];
      for (const [index, representation] of representations.entries()) {
        const { __typename: _typename, ...keys } = (representation ?? {}) as Record<string, unknown>;
        checkArguments(keys, todayOf(context), `representations[${index}].`);
      }
      return resolve(root, args, context, info);
    }) satisfies GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}
