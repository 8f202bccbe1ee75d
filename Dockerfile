# mpv2 worker image: Debian bookworm with Node 20, ffmpeg, espeak-ng and chromium from Debian. Noto fonts so captions draw every script (docs/dependencies.md).
# Build:  docker build -t mpv2 .
# Run:    docker run --rm -v "$PWD:/work" -w /work mpv2 run pipelines/demo-short.yaml
# Fleet:  docker compose up -d   (compose.yaml: Redis + two workers sharing /work)
FROM node:20-bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ffmpeg espeak-ng libespeak-ng1 chromium chromium-driver fonts-noto-core fonts-noto-cjk ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/mpv2
# the sources come first: `npm ci` runs the package's `prepare` script, which builds dist/
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev && ln -s /opt/mpv2/bin/run.js /usr/local/bin/mpv2

# ffmpeg, chromium and chromedriver are found on PATH
ENV NODE_ENV=production

# a non-root user owns the project folder mounted at /work
RUN useradd --create-home --uid 10001 mpv2 && mkdir -p /work && chown mpv2:mpv2 /work
USER mpv2
WORKDIR /work

# tini forwards SIGTERM, so `docker stop` lets a worker finish or abort its runs cleanly
ENTRYPOINT ["/usr/bin/tini", "--", "mpv2"]
CMD ["--help"]
