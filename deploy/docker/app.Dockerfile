# syntax=docker/dockerfile:1
# CPU image of one SlmOps host: SlmOps.Web (default) or SlmOps.Worker (--build-arg PROJECT=SlmOps.Worker).
# Debian 12 like the development machines, so the native shim is built against the same libtorch-dev
# 1.13 the tests ran against. .NET is copied from Microsoft's images (the portable linux-x64 build
# runs on Debian 12; globalization is invariant, so no ICU is needed).
# Build from the repository root:  docker build -f deploy/docker/app.Dockerfile .

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS dotnet-runtime

FROM debian:bookworm-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates cmake ninja-build g++ make \
        libtorch-dev libopenblas0-pthread libssl3 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
COPY . .
ARG PROJECT=SlmOps.Web
RUN dotnet publish "src/${PROJECT}/${PROJECT}.csproj" -c Release -o /app

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libtorch1.13 libopenblas0-pthread libssl3 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
COPY --from=build /app /app
ARG PROJECT=SlmOps.Web
ENV SLMOPS_APP=${PROJECT} \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Artifacts__Root=/data/artifacts
WORKDIR /app
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --retries=12 CMD curl -fsS http://127.0.0.1:8080/health/ready >/dev/null || exit 1
# Arguments pass through, so `docker run IMAGE migrate` runs the web host's migrate command.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/$SLMOPS_APP.dll\" \"$@\"", "--"]
