# syntax=docker/dockerfile:1
# One image for every Spruce process: the API (default, serving the web app under /app/), the worker (node dist/worker.js) and migrations
# (node dist/cli.js migrate). Both stages use the same Debian-based Node image, so the native modules compiled in
# the build stage (better-sqlite3, bcrypt) match the runtime's glibc and Node ABI. Node 26, the LTS line since
# 2026-10-28 (Node 20's support ended in April 2026); the code and tests also run on Node 20 and later.
ARG NODE_IMAGE=node:26-trixie-slim

FROM ${NODE_IMAGE} AS build
# node-gyp needs these when a native module has no prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the "prepare" script, which builds the web app only once web/ is there (below), so it needs its file.
COPY scripts/prepare-web.mjs ./scripts/prepare-web.mjs
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY scripts/build.mjs scripts/generate-api-types.ts scripts/openapi-document.ts ./scripts/
COPY web ./web
# The web app is built here, where Vite and the other dev dependencies are installed; the runtime gets web/dist only.
RUN npm run build && npm run build:web && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# NODE_COMPILE_CACHE: Node keeps V8's compiled code of the modules it loads in that folder (created on first use, in
# the unprivileged user's home), so a restarted container reaches its first /health sooner: 279 → 231 ms on Node 26
# (docs/benchmarks.md, seventh pass). A new container compiles afresh; Node carries on without a cache it cannot write.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/data \
    NODE_COMPILE_CACHE=/home/node/.cache/node-compile-cache
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/web/dist ./web/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# Slim images have no curl; Node has fetch. Only the API serves /health: the worker and migrate services
# in compose.yaml turn this check off.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, so in-flight requests finish before it exits.
CMD ["node", "dist/server.js"]
