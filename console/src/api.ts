/**
 * The console's one way to the hub: GraphQL over HTTP on the hub's own /graphql, with the token the user pasted, kept in
 * sessionStorage (gone when the tab closes). What a caller may see is decided by the hub, never here.
 */
import { useCallback, useEffect, useRef, useState } from "react";

const TOKEN_KEY = "hub-console-token";

export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface Claims {
  org: string;
  sub: string;
  roles: string[];
  exp?: number;
}

/** What the token says about its holder, for the header and for which buttons to offer; the hub checks it on every call. */
export function claimsOf(token: string): Claims | undefined {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Claims;
    return typeof claims.org === "string" && Array.isArray(claims.roles) ? claims : undefined;
  } catch {
    return undefined;
  }
}

export class HubRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const REFUSALS: Record<string, string> = {
  FORBIDDEN: "无权访问：此页面需要监督（SUPERVISOR）角色的令牌",
  UNAUTHENTICATED: "令牌无效或已过期，请重新登录",
};

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = tokenStore.get();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? "ERROR";
    throw new HubRefusal(REFUSALS[code] ?? `${code}: ${error.message}`, code);
  }
  return body.data as T;
}

export interface Polled<T> {
  data?: T;
  error?: HubRefusal;
  loading: boolean;
  refresh: () => void;
}

/**
 * Reads `query` now and again every `intervalMs`: the hub has no subscription for aggregates over every court, and a
 * short poll keeps the page live within seconds. Polling stops while the tab is hidden.
 */
export function usePoll<T>(query: string, variables: Record<string, unknown>, intervalMs = 2_000): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: HubRefusal; loading: boolean }>({ loading: true });
  const key = JSON.stringify(variables);
  const generation = useRef(0);
  const load = useCallback(() => {
    const mine = ++generation.current;
    gql<T>(query, JSON.parse(key))
      .then((data) => mine === generation.current && setState({ data, loading: false }))
      .catch((error: unknown) => {
        if (mine !== generation.current) return;
        const refusal = error instanceof HubRefusal ? error : new HubRefusal("无法连接枢纽", "NETWORK");
        setState((previous) => ({ data: previous.data, error: refusal, loading: false }));
      });
  }, [query, key]);
  useEffect(() => {
    setState({ loading: true });
    load();
    const timer = setInterval(() => document.visibilityState === "visible" && load(), intervalMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [load, intervalMs]);
  return { ...state, refresh: load };
}
