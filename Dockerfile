# The LeNet server as a container image: build on the full Debian image (compilers, dev dependencies),
# run on the slim one with production dependencies, the compiled dist/ folders and nothing else.
#
#   docker build -t lenet:0.1.0 .                                                # model mounted at /models/lenet
#   docker build -t lenet:0.1.0 --build-arg MODEL_DIR=output/checkpoint .        # model baked in
#   docker run --rm -p 8000:8000 -v "$PWD/output/checkpoint:/models/lenet:ro" lenet:0.1.0
#
# deploy/README.md has the details; deploy/test/manifests.test.ts checks this file against the server.

# Only the package manifests, so the npm ci layers below are rebuilt when dependencies change, not on
# every source edit. The globs pick up every workspace without listing them here.
FROM node:20-bookworm AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages packages
COPY apps apps
RUN mkdir /manifests \
  && tar -cf - package.json package-lock.json packages/*/package.json apps/*/package.json | tar -xf - -C /manifests

FROM node:20-bookworm AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
# --ignore-scripts: the root "prepare" script builds, and the sources are not here yet; it also skips
# the libtensorflow download of the optional @tensorflow/tfjs-node-gpu (the image runs WASM).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY apps apps
# tsc -b for every workspace, then the web page's bundle into apps/web/dist (served at /).
RUN npm run build \
  && mkdir /built \
  && tar -cf - packages/*/dist apps/*/dist apps/cli/bin apps/server/bin | tar -xf - -C /built \
  && find /built -name '*.test.*' -delete

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
COPY --from=manifests /manifests/ ./
# Production dependencies only; no install scripts (nothing to compile, no downloads), no npm cache left.
# The image runs WASM, so the optional native TensorFlow package (unbuilt without its install script)
# is removed again, with the full @tensorflow/tfjs bundle it depends on: node_modules shrinks from
# 433 to 217 MB. deploy/test/runtime-install.test.ts runs these npm commands outside Docker and
# starts the server from the result.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm uninstall @tensorflow/tfjs-node-gpu -w @lenet/backend --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /built/ ./

# The checkpoint: baked in with --build-arg MODEL_DIR=<checkpoint folder in the build context>, or
# mounted over /models/lenet at run time (the default folder only holds a README saying so).
ARG MODEL_DIR=deploy/docker/no-model
COPY ${MODEL_DIR}/ /models/lenet/

# JSON log lines on stdout; listen on every interface of the container; WASM is the backend this
# image has (install scripts were skipped, so no native TensorFlow). WORKERS is left to the default
# (one per core the process sees): set it to the CPU limit when one is set (docker run --cpus, Kubernetes).
ENV HOST=0.0.0.0 \
    PORT=8000 \
    MODEL=/models/lenet \
    BACKEND=wasm \
    LOG_LEVEL=info \
    LOG_FORMAT=json

# glibc's allocator, not the server, reads this. A fixed mmap threshold (128 KiB, glibc's starting
# value) turns off glibc's dynamic threshold, so decoded images and other large buffers are mapped and
# unmapped rather than kept in per-thread arenas after they are freed. Over 10,000 fuzzed uploads the
# server's RSS grew by 92-171 MB with it and 410-816 MB without (deploy/README.md); throughput was
# unchanged within noise.
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072

# The `node` user of the base image, by number so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8000

# Slim has no curl: node itself asks /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# No shell and no entrypoint script in between: SIGTERM reaches node, which drains and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT []
CMD ["node", "apps/server/bin/lenet-server.js"]
