import { defineConfig } from "prisma/config";

// The CLI needs a resolvable URL or it tries to download an engine; generating
// and diffing never connect, so a placeholder is enough (see shared STACK.md).
process.env.DATABASE_URL ??= "postgresql://hub@127.0.0.1:5432/hub";

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
