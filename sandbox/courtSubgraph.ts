/**
 * A court's case-management system as a Federation 2 subgraph, for the supergraph (`npm run supergraph`,
 * docs/guide/supergraph.md): it owns what only the court keeps about a case (the judge, the panel, the
 * parties as filed) and joins the hub's `EnforcementCase` on 案号. Its answers are deterministic from the
 * case number, as the sandbox agencies' are from an ID. It serves only its own court's cases and only callers
 * who bring a bearer token, which the gateway forwards from the caller; the hub decides who sees which case.
 */
import { createHash } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { GraphQLError, parse } from "graphql";
import { parseCaseNumber } from "../domain/caseNumber.js";

const TYPE_DEFS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "执行案件, as the court's case-management system keeps it"
  type EnforcementCase @key(fields: "caseNumber") {
    caseNumber: String!
    "承办法官"
    judge: String!
    "合议庭 (empty when one judge hears it)"
    panel: [String!]!
    "the parties as the court filed them"
    parties: [Party!]!
  }

  type Party {
    role: PartyRole!
    name: String!
  }

  enum PartyRole {
    APPLICANT
    RESPONDENT
  }

  type Query {
    "the court this case-management system belongs to"
    court: String!
  }
`);

const JUDGES = ["李明", "张华", "王芳", "赵强", "陈静"];
const APPLICANTS = ["开封农商银行", "兰考县城投公司", "河南某建设公司"];
const RESPONDENTS = ["孙八", "周九", "吴十"];

interface CourtContext {
  authorization?: string;
}

/** The court's record of one of its cases, the same on every call. */
export function courtRecord(caseNumber: string) {
  const digest = createHash("sha256").update(caseNumber).digest();
  const pick = <T>(list: readonly T[], byte: number): T => list[digest[byte] % list.length];
  const judge = pick(JUDGES, 0);
  return {
    caseNumber,
    judge,
    panel:
      digest[1] % 2 === 0
        ? []
        : [
            judge,
            pick(
              JUDGES.filter((j) => j !== judge),
              2,
            ),
          ],
    parties: [
      { role: "APPLICANT", name: pick(APPLICANTS, 3) },
      { role: "RESPONDENT", name: pick(RESPONDENTS, 4) },
    ],
  };
}

export interface CourtSubgraph {
  url: string;
  /** The Authorization headers it was called with, oldest first. */
  authorizations: string[];
  close(): Promise<void>;
}

export interface CourtSubgraphOptions {
  /** The court whose cases it serves, e.g. 豫0225. */
  court: string;
  /**
   * Its port.
   * @default 0 (any free one)
   */
  port?: number;
  /**
   * The interface it listens on.
   * @default "127.0.0.1"
   */
  host?: string;
}

export async function startCourtSubgraph(options: CourtSubgraphOptions): Promise<CourtSubgraph> {
  const authorizations: string[] = [];
  const ownCase = (caseNumber: string) => {
    const parsed = parseCaseNumber(caseNumber);
    return parsed.ok && parsed.value.courtCode === options.court ? parsed.value.caseNumber : undefined;
  };
  const schema = buildSubgraphSchema({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: { court: () => options.court },
      EnforcementCase: {
        __resolveReference(reference: { caseNumber: string }) {
          const own = ownCase(reference.caseNumber);
          // Another court's case is not in this system: the gateway then answers null for its fields.
          return own ? courtRecord(own) : null;
        },
      },
    } as never,
  });
  const server = new ApolloServer<CourtContext>({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port ?? 0, host: options.host ?? "127.0.0.1" },
    async context({ req }) {
      const authorization = req.headers.authorization;
      if (!authorization?.startsWith("Bearer ")) {
        throw new GraphQLError("a bearer token is required", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      }
      authorizations.push(authorization);
      return { authorization };
    },
  });
  return { url, authorizations, close: () => server.stop() };
}
