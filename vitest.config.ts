import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Node gives packages (Apollo Server, graphql-ws, type-graphql) graphql's CommonJS build; Vite would give the
    // hub's own files the ES one, and graphql refuses a schema built by the other ("from another module or realm").
    // Both get the CommonJS build, as they do when the hub runs.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Integration tests start real servers and databases; two cores, so keep files few at a time.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ["reflect-metadata"],
  },
});
