/**
 * A GraphQL enum's values object built from a domain's status array (e.g. measureLifecycle.ts), so the schema
 * offers exactly the statuses the lifecycle knows, in its order, without a second list to keep in step.
 */
export function enumOf<const T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
}
