# Production image for the api, the projectors and the CLI (same image, different command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc .swcrc tsconfig.json ./
RUN npm ci
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# A named volume mounted here starts as a copy of this folder, owner included: the keys are written by `node`.
RUN mkdir -p /keys && chown node:node /keys && chmod 700 /keys
# Everything from here on, the api, the projectors and the CLI, runs unprivileged.
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
