# The hub as an image: built with the dev dependencies, run with only the production ones, as the unprivileged
# `node` user, with nothing fetched at run time. `docker compose up` (compose.yaml) runs two instances on PostgreSQL;
# see docs/guide/operations.md.

FROM node:20-slim AS build
WORKDIR /app
# Dependencies first, so a change to the hub's code does not reinstall them. With them come what postinstall
# reads: Prisma's schema, from which it generates the client; tsconfig.json, without which Prisma writes the
# client's imports with .ts extensions that the compiled hub cannot load; and the console, built into console/dist.
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY console ./console
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    HUB_DATA_DIR=/var/lib/hub
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The console and GraphiQL, which the hub serves from console/dist in the folder it starts in.
COPY --from=build /app/console/dist ./console/dist
# Named volumes mounted here start with these owners, so the `node` user can write its keys and routes.
RUN mkdir -p /var/lib/hub /var/lib/sandbox && chown node:node /var/lib/hub /var/lib/sandbox
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=15s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/gateway/main.js"]
