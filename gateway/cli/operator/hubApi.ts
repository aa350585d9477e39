/**
 * How the operator CLI reaches the hub: its GraphQL API over HTTP with the operator's own bearer token, so the
 * running hub authorises and audits every action exactly as for any other caller, and no second process
 * writes to its database (on PGlite, none could: dataDirLock.ts).
 */

/** What the CLI reports as a refusal (exit code 1): the hub's errors with their codes, or an action refused here. */
export class CliRefusal extends Error {
  override readonly name = "CliRefusal";
}

export interface HubApi {
  call<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** The endpoint the guides' scripts/gql.sh use too: GRAPHQL_URL, else the local hub on PORT. */
export function defaultGraphqlUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.GRAPHQL_URL || `http://localhost:${env.PORT || 4000}`}/graphql`;
}

export function hubApi(url: string, token: string | undefined): HubApi {
  return {
    async call<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      if (!token) throw new CliRefusal("no token: pass --token or set TOKEN (an operator's, a supervisor's or a hub administrator's)");
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).catch((error: Error) => {
        throw new CliRefusal(`the hub at ${url} did not answer: ${error.cause instanceof Error ? error.cause.message : error.message}`);
      });
      const reply = (await response.json().catch(() => ({}))) as {
        data?: T;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      if (reply.errors?.length) {
        throw new CliRefusal(reply.errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("\n"));
      }
      if (!reply.data) throw new CliRefusal(`the hub at ${url} answered HTTP ${response.status} without data`);
      return reply.data;
    },
  };
}
