# Noaber's relay, serving the built app. Two stages: the first installs everything and builds the
# app and the compiled relay; the second holds only what runs (no TypeScript, no runtime compiler).
#   docker build -t noaber .
#   docker run --read-only --tmpfs /tmp -p 3000:3000 -v noaber-data:/data \
#     -e NOABER_PUBLIC_URL=https://buurt.example.nl noaber
# The relay writes only to /data, so the root filesystem can be read-only (--read-only).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production NOABER_DATA=/data PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/build ./build
COPY --from=build /app/relay-build ./relay-build
# The data folder belongs to the unprivileged user the relay runs as; it keeps it 0700.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "bin/noaber.js", "relay"]
