# Handoff's image: the compiled server (dist/), the inbox page (web/dist/), package.json and the
# production dependencies, run as the unprivileged `node` user. Docker is not on the CI machine:
# test/dist-layout.test.ts reads the runtime stage below (its COPY, WORKDIR, ENV, HEALTHCHECK and
# CMD lines), lays the same files out in a scratch directory and runs them as CMD does.
#
#   docker build -t handoff .
#   docker run -p 8080:8080 -v handoff-data:/app/data handoff
#   docker compose up          # with PostgreSQL and Redis: compose.yaml

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binary; these compile it where none fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a change to the sources reuses this layer. No lifecycle scripts yet
# (`prepare` would build sources not copied in); the two native packages run theirs.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 esbuild
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
# The server (tsc, type-checked) and the inbox page, then the dev dependencies go.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    HANDOFF_DEMO=0
WORKDIR /app
# Owned by root: the server's user can read its code but not change it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# The default DATABASE_URL (sqlite:./data/handoff.sqlite) lives here; a volume keeps it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 8080
# /health/ready: 200 while the database answers (also when Redis is down: "degraded").
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 itself (no shell, no npm): `docker stop`'s SIGTERM reaches the server, which
# finishes the requests in flight and exits 0.
CMD ["node", "dist/main.js"]
