/**
 * An Apollo Federation 2 subgraph from type-graphql classes, the way
 * type-graphql documents it (examples/apollo-federation-2): type-graphql builds
 * the executable schema, its SDL is printed with the `@key` directives the
 * classes carry, and @apollo/subgraph rebuilds it from that SDL with the same
 * resolvers plus `_service` and `_entities`. Printing keeps the directives only
 * through printSchemaWithDirectives: graphql's own printSchema drops them.
 */
import { buildSubgraphSchema as buildApolloSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";

/** Federation directives the hub's types use; composition rejects a subgraph that links more than it knows. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;

/** How `_entities` turns a representation (`{ __typename, ...key fields }`) into the entity, per type. */
export type ReferenceResolvers<Context> = Record<string, (reference: Record<string, unknown>, context: Context) => Promise<unknown>>;

export async function buildSubgraphSchema<Context>(
  options: BuildSchemaOptions,
  references: ReferenceResolvers<Context>,
): Promise<GraphQLSchema> {
  const schema = await buildSchema(options);
  const resolvers: Record<string, object> = createResolversMap(schema);
  for (const [typeName, resolveReference] of Object.entries(references)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  return buildApolloSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`),
    resolvers: resolvers as never,
  });
}
