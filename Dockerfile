# syntax=docker/dockerfile:1
# csv-analyzer (default target) and firedrill images.
#   docker build -t firedrill/csv-analyzer .                      # or: docker compose build
#   docker build --target firedrill -t firedrill/firedrill .
# Build stage: the official Swift image; release build with the Swift runtime linked statically,
# so the runtime image is plain debian:bookworm-slim.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
WORKDIR /src
# Dependencies first: this layer is cached while the manifest and the pins are unchanged.
COPY Package.* ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product csv-analyzer \
 && swift build -c release --static-swift-stdlib --product firedrill \
 && mkdir -p /staging \
 && cp "$(swift build -c release --show-bin-path)/csv-analyzer" "$(swift build -c release --show-bin-path)/firedrill" /staging/

# Runtime base: CA certificates and time zones for Foundation, curl for the health check.
FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --create-home --shell /usr/sbin/nologin app
WORKDIR /app

# firedrill: the load generator (`firedrill load SCENARIO --host URL --metrics-port 9646`).
FROM runtime AS firedrill
COPY --from=build /staging/firedrill /usr/local/bin/firedrill
USER 10001:10001
EXPOSE 9646
ENTRYPOINT ["firedrill"]
CMD ["--help"]

# csv-analyzer: the service (last stage = default target).
FROM runtime AS csv-analyzer
COPY --from=build /staging/csv-analyzer /usr/local/bin/csv-analyzer
RUN mkdir -p /data && chown 10001:10001 /data
ENV CSV_ANALYZER_HOST=0.0.0.0 \
    CSV_ANALYZER_PORT=8000 \
    CSV_ANALYZER_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["sh", "-c", "curl -fsS -o /dev/null \"http://127.0.0.1:${CSV_ANALYZER_PORT}/healthz\" || exit 1"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["csv-analyzer"]
CMD ["serve"]
