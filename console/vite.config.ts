/**
 * Builds the console (/console) and the bundled GraphiQL (/graphql in a browser) into console/dist, which the hub
 * serves as they are (gateway/http/staticAssets.ts). Everything is bundled: a court's intranet reaches no CDN.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // The hub serves the build under /console/ (gateway/http/staticAssets.ts); GraphiQL's page, served at /graphql, loads from there too.
  base: "/console/",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Maps would double the build for a page nobody debugs in production.
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { console: `${root}index.html`, graphiql: `${root}graphiql/index.html` },
      // GraphiQL's packages mark modules "use client" for React Server Components, which a static bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
