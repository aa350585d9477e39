/**
 * The agency exchange through the global fetch on the endpoint's pool: what connectors/transport.ts used before it
 * moved to undici's `request`. Kept outside the product: the benchmark runs the hub with each, side by side in one run,
 * and the connector tests use it because nock intercepts fetch, not undici's `request`.
 */
import type { HttpExchange } from "../../connectors/transport.js";

export const fetchExchange: HttpExchange = async (url, init) => {
  const response = await fetch(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs),
    redirect: "manual",
    // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
    dispatcher: init.dispatcher,
  });
  return { status: response.status, body: await response.text() };
};
