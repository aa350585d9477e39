/**
 * `npm run build`: compiles the hub to JavaScript in dist/ (tsconfig.build.json) and copies beside it the files the
 * code reads at run time relative to itself: the migrations (gateway/persistence/migrate.ts looks two folders up
 * for prisma/migrations) and the court directory (directory/courtDirectory.ts). Production then runs
 * `node dist/gateway/main.js` with no TypeScript at all.
 */
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
cpSync("prisma/migrations", "dist/prisma/migrations", { recursive: true });
cpSync("directory/courts.json", "dist/directory/courts.json");
