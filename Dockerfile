# syntax=docker/dockerfile:1
# One image for every process of the platform; the command picks which:
#   node dist/app/api/server.js            the HTTP API (the default command)
#   node dist/app/workers/main.js          a worker polling TEMPORAL_TASK_QUEUE
#   node dist/app/tooling/db-setup.js      migrations (add --no-seed outside a laptop)
#
# Debian (glibc), not Alpine: the Temporal worker's native core (@temporalio/core-bridge) ships
# prebuilt for glibc only. The Node.js release is the one npm start and npm test run on
# (tooling/node-runtime.txt; test/deploy/dockerfile.test.ts keeps them equal).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# --- build: every dependency, the Prisma client, the compiled TypeScript and the workflow bundle.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped: nothing here needs one (prisma-generate.sh generates the client
# explicitly; @prisma/engines' download is not needed by the WebAssembly query compiler).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY deploy/docker/tsconfig.build.json ./deploy/docker/
COPY domain ./domain
COPY contract ./contract
COPY platform ./platform
COPY web ./web
COPY api ./api
COPY activities ./activities
COPY workflows ./workflows
COPY workers ./workers
COPY prisma ./prisma
COPY tooling ./tooling
# The generated client (prisma/generated, TypeScript) must exist before tsc runs: it is compiled
# along with the code into dist/app/prisma/generated. rootDir is the repository root, so
# api/server.ts becomes dist/app/api/server.js. The migrator reads its SQL next to itself
# (dist/app/prisma/migrations), and the pages their stylesheet and script (dist/app/web/assets).
# The bundle (and its traced twin, used when OTEL_* enables tracing) lets workers start without
# webpack.
RUN bash tooling/prisma-generate.sh \
 && npx tsc -p deploy/docker/tsconfig.build.json \
 && cp -R prisma/migrations dist/app/prisma/migrations \
 && cp -R web/assets dist/app/web/assets \
 && node --import tsx workers/build-bundle.ts dist/workflow-bundle.js \
 && test -f dist/workflow-bundle.traced.js \
 && test -f dist/app/api/server.js \
 && test -f dist/app/workers/main.js \
 && test -f dist/app/tooling/db-setup.js \
 && test -f dist/app/prisma/generated/client.js

# --- production dependencies only, installed apart so no build tool reaches the runtime image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime: read-only-root-filesystem friendly. Nothing is written at run time (the workflow
# bundle is pre-built, the Prisma client is compiled in, logs go to stdout); Node and the SDK only
# ever need /tmp, which the orchestrator mounts writable.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
# API (PORT), API metrics (METRICS_PORT of the API), worker metrics (METRICS_PORT of a worker).
EXPOSE 3000 9464 9465
CMD ["node", "dist/app/api/server.js"]
