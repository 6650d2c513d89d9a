# syntax=docker/dockerfile:1
# One image for both processes (API and worker); the command picks which. Multi-stage: the build
# stage compiles TypeScript and the workflow bundle, the runtime stage has production deps only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/prisma-generate.sh \
 && npx tsc -p . --noEmit false --outDir dist/app \
 && node --import tsx workers/build-bundle.ts dist/workflow-bundle.js

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./dist/app/prisma/migrations
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["node", "dist/app/api/server.js"]
