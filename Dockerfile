# The production image: only cmd/billing (api, worker, migrate, accounts, tokens); the
# command picks the part. The simulator and the load tester are in Dockerfile.dev.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/billing ./cmd/billing

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/billing /usr/local/bin/billing
USER nonroot
ENTRYPOINT ["/usr/local/bin/billing"]
CMD ["api"]
