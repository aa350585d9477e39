/**
 * Serves the console's built files (console/dist, built by `npm run console:build`, which `npm install` runs) under
 * /console/. Everything the pages load comes from here: the content security policy lets a page reach only the hub
 * itself, so nothing can be fetched from a CDN a court's intranet does not reach.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpRoute } from "./httpRoute.js";
import { sendJson } from "./sendJson.js";

/**
 * Where the build puts the console and GraphiQL (console/vite.config.ts): beside the sources, or, for a hub compiled
 * elsewhere, in the folder it is started from.
 */
export const CONSOLE_DIST =
  [fileURLToPath(new URL("../../console/dist/", import.meta.url)), join(process.cwd(), "console", "dist", sep)].find((dir) =>
    existsSync(join(dir, "index.html")),
  ) ?? fileURLToPath(new URL("../../console/dist/", import.meta.url));
export const CONSOLE_PATH = "/console/";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

/** Only the hub: scripts, styles, fonts, workers and GraphQL over HTTP and WebSocket. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Monaco (GraphiQL's editor) and React set styles inline.
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join("; ");

/** The path as a file name; undefined for a malformed escape, which names no file. */
function decoded(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

export function consoleRoutes(root = CONSOLE_DIST): HttpRoute[] {
  return [
    {
      method: "GET",
      path: "/console",
      async handle(_request, response) {
        response.writeHead(308, { location: CONSOLE_PATH }).end();
      },
    },
    {
      method: "GET",
      path: CONSOLE_PATH,
      async handle(_request, response, path) {
        const relative = path === CONSOLE_PATH ? "index.html" : decoded(path.slice(CONSOLE_PATH.length));
        const file = relative === undefined ? undefined : normalize(join(root, relative));
        if (!file?.startsWith(root.endsWith(sep) ? root : root + sep)) {
          return sendJson(response, 404, { code: "NOT_FOUND", message: "not found" });
        }
        const body = await readFile(file).catch(() => undefined);
        if (!body) {
          const built = await readFile(join(root, "index.html")).catch(() => undefined);
          return sendJson(
            response,
            built ? 404 : 503,
            built
              ? { code: "NOT_FOUND", message: "not found" }
              : { code: "CONSOLE_NOT_BUILT", message: "the console is not built: run npm run console:build (npm install runs it)" },
          );
        }
        response.writeHead(200, {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          // Built assets carry their content hash in their name; the pages themselves must be read again.
          "cache-control": relative?.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
          "content-security-policy": CONTENT_SECURITY_POLICY,
          "x-content-type-options": "nosniff",
        });
        response.end(body);
      },
    },
  ];
}
