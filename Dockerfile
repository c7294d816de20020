# mpp-assistant: one image for the web/channel process and the reminder worker.
# Stage 1 compiles TypeScript once (`npm run build` -> dist/); the runtime runs plain `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
# Everything, optional whatsapp-web.js included: tsc needs its types for the dynamic import.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# WhatsApp Web needs a browser and the optional whatsapp-web.js (with puppeteer): build with
# --build-arg WITH_CHROMIUM=true (Debian's chromium). Without it neither is in the image, and
# WHATSAPP_WEB_ENABLED=true stops at startup saying so.
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; fi
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN if [ "$WITH_CHROMIUM" = "true" ]; then npm ci --omit=dev --no-audit --no-fund; else npm ci --omit=dev --omit=optional --no-audit --no-fund; fi \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY content ./content
COPY flows ./flows
COPY locales ./locales
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The worker service runs `node dist/worker.js`; staff accounts: `node dist/cli/staff.js add ...`.
CMD ["node", "dist/main.js"]
