/**
 * GET /graphql in a browser: the hub's own GraphiQL, loaded from /console/ on the hub, in development; in production
 * nothing but a GraphQL answer unless HUB_GRAPHIQL=true. The console's files carry a policy that lets a page reach
 * the hub alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv } from "../../../gateway/config.js";
import { startTestHub, type TestHub } from "../../support/testHub.js";

const HTML = { accept: "text/html,application/xhtml+xml" };
let development: TestHub;
let production: TestHub;

beforeAll(async () => {
  [development, production] = await Promise.all([startTestHub(), startTestHub({ production: true })]);
});

afterAll(async () => {
  await Promise.all([development?.close(), production?.close()]);
});

/** Every URL an HTML page names in src and href. */
const referenced = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);

describe("GraphiQL at /graphql", () => {
  it("is served in development from the hub's own files, naming no other address", async () => {
    const response = await fetch(development.graphqlUrl, { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("GraphiQL");
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z]|sandbox\.embed|apollographql/i);
    const urls = referenced(html);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toMatch(/^\/console\/assets\//);
      const asset = await fetch(new URL(url, development.hub.url));
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get("content-security-policy")).toContain("default-src 'self'");
      await asset.arrayBuffer();
    }
  });

  it("is not served in production: the GET is answered as a GraphQL request, in JSON", async () => {
    const response = await fetch(production.graphqlUrl, { headers: HTML });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.text()).not.toContain("<html");
  });

  it("is served in production when enabled (HUB_GRAPHIQL=true)", async () => {
    const enabled = await startTestHub({ production: true, graphiql: true });
    try {
      const response = await fetch(enabled.graphqlUrl, { headers: HTML });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("/console/assets/graphiql-");
    } finally {
      await enabled.close();
    }
    expect(configFromEnv({ HUB_GRAPHIQL: "true", NODE_ENV: "production" }).graphiql).toBe(true);
    expect(() => configFromEnv({ HUB_GRAPHIQL: "yes" })).toThrow("HUB_GRAPHIQL: must be true or false");
  });
});

describe("the console's files at /console", () => {
  it("redirects /console to /console/ and serves the page with a policy that allows the hub alone", async () => {
    const redirect = await fetch(`${development.hub.url}/console`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/console/");
    const page = await fetch(`${production.hub.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain("执行指挥中心");
    for (const url of referenced(html)) expect(url).toMatch(/^\/console\/assets\//);
  });

  it("answers 404 in JSON outside the build, and for a path that climbs out of it", async () => {
    for (const path of [
      "/console/nothing.js",
      "/console/..%2F..%2Fpackage.json",
      "/console/%2e%2e/%2e%2e/package.json",
      "/console/%E0%A4%A",
    ]) {
      const response = await fetch(`${development.hub.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});
