# syntax=docker/dockerfile:1

# Build stage: Go version follows go.mod (go 1.26.x). The golang image sets
# GOTOOLCHAIN=local, so the image's patch release must be >= go.mod's.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src

# Dependencies first, so source edits don't invalidate the module layer.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
# Pure Go (FerretDB's SQLite is modernc.org/sqlite), so a static binary.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/sankofa ./cmd/sankofa \
 && mkdir -p /out/data

# Final stage: no shell, no package manager; CA certs included, tzdata is
# embedded in the binary (time/tzdata).
FROM gcr.io/distroless/static-debian12:nonroot

ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="sankofa" \
      org.opencontainers.image.description="Sankofa API: diaspora health workers and ministries of health, matched" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot"

COPY --from=build /out/sankofa /sankofa
# /data owned by the nonroot user so a fresh named volume inherits it.
COPY --from=build --chown=65532:65532 /out/data /data

# Embedded FerretDB, NATS and the Bleve index live under /data by default;
# with external MongoDB/NATS only the (per-replica) search index does.
ENV SANKOFA_DATA_DIR=/data \
    SANKOFA_ADDR=:8080

USER 65532:65532
WORKDIR /data
VOLUME /data
EXPOSE 8080

# No HEALTHCHECK: distroless has no curl/wget. Let the orchestrator probe
# GET /healthz (liveness) and GET /readyz (readiness) on port 8080.
ENTRYPOINT ["/sankofa"]
CMD ["serve"]
