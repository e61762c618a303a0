# Qianliyan control plane + media node. Debian bookworm, like the machines it is developed on:
# ffmpeg and the mediasoup worker's libraries come from Debian, the worker is built offline.
FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive NODE_ENV=production
WORKDIR /app
COPY scripts/debian-packages.txt scripts/debian-packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends $(grep -v '^#' scripts/debian-packages.txt | sed 's/#.*//' | grep -v chromium) \
      meson ninja-build pkg-config g++ python3 libssl-dev libsrtp2-dev libuv1-dev libusrsctp-dev libabsl-dev \
      libflatbuffers-dev flatbuffers-compiler ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN MEDIASOUP_WORKER_BIN=/skip npm ci --no-audit --no-fund
COPY . .
RUN for s in scripts/bootstrap.d/*.sh; do [ -f "$s" ] && bash "$s" || true; done \
 && npx vite build --config web/vite.config.ts
EXPOSE 8080 1935 40000-40100/udp
CMD ["npx", "tsx", "server/src/main.ts"]
