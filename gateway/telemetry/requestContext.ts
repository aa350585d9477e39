/**
 * The request a piece of work belongs to, carried across awaits (AsyncLocalStorage), so every log line written
 * while serving it names it without each caller passing a logger down.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** A client's own `x-request-id` is kept when it is a plain token, so its logs and ours join; anything else is replaced. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
