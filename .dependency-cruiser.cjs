/**
 * The import rules of the hub's layout (docs/ARCHITECTURE.md, "Layout"), checked by `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle hides which part depends on which; break it with an interface or a registration.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "domain/ holds pure rules: it imports nothing of the hub outside domain/ and no package.",
      from: { path: "^domain/" },
      to: { pathNot: ["^domain/", "^node:"], dependencyTypesNot: ["core"] },
    },
    {
      name: "gateway-does-not-reach-up",
      severity: "error",
      comment:
        "gateway/ assembles and serves the hub; only its startup (hub.ts, serveFromEnv.ts, main.ts) knows the capabilities and the schema.",
      from: { path: "^gateway/", pathNot: ["^gateway/(hub|serveFromEnv|main)\\.ts$"] },
      to: { path: ["^capabilities/", "^schema/", "^sandbox/"] },
    },
    {
      name: "capabilities-below-schema",
      severity: "error",
      comment: "A capability's service knows nothing of GraphQL; schema/ calls the capabilities, never the other way.",
      from: { path: "^capabilities/" },
      to: { path: ["^schema/", "^sandbox/"] },
    },
    {
      name: "production-without-sandbox",
      severity: "error",
      comment: "The sandbox agencies are for development and tests; the production entry never loads them.",
      from: { path: "^(gateway|capabilities|schema|connectors|domain|directory)/" },
      to: { path: "^sandbox/" },
    },
    {
      name: "connectors-stand-alone",
      severity: "error",
      comment: "A connector speaks one agency's protocol; it knows the connector interface and domain/, not the hub around it.",
      from: { path: "^connectors/" },
      to: { path: ["^gateway/", "^capabilities/", "^schema/"] },
    },
    {
      name: "no-tests-in-source",
      severity: "error",
      from: { pathNot: "^(tests|bench)/" },
      to: { path: "^(tests|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["node_modules", "gateway/persistence/generated"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".js"],
    },
  },
};
