# syntax=docker/dockerfile:1
# GPU image of a host that runs models: SlmOps.Worker (default) or SlmOps.Serving (--build-arg PROJECT=SlmOps.Serving).
# The native shim is built against the CUDA libtorch inside the PyTorch
# wheel of the base image (SLMOPS_TORCH_CMAKE_PREFIX = torch.utils.cmake_prefix_path), instead of
# Debian's CPU-only libtorch-dev. Run it with the NVIDIA container runtime (see docker-compose.yml,
# profile `gpu`). Build from the repository root:  docker build -f deploy/docker/gpu.Dockerfile .

ARG DOTNET_VERSION=10.0
ARG PYTORCH_TAG=2.5.1-cuda12.4-cudnn9

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS dotnet-runtime

FROM pytorch/pytorch:${PYTORCH_TAG}-devel AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates cmake ninja-build g++ make libssl3 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
COPY . .
ARG PROJECT=SlmOps.Worker
RUN export SLMOPS_TORCH_CMAKE_PREFIX="$(python -c 'import torch; print(torch.utils.cmake_prefix_path)')" \
    && dotnet publish "src/${PROJECT}/${PROJECT}.csproj" -c Release -o /app

FROM pytorch/pytorch:${PYTORCH_TAG}-runtime AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libssl3 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
COPY --from=build /app /app
COPY deploy/docker/gpu-entrypoint.sh /usr/local/bin/slmops-gpu
ARG PROJECT=SlmOps.Worker
ENV SLMOPS_APP=${PROJECT} \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Artifacts__Root=/data/artifacts
WORKDIR /app
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --retries=12 CMD curl -fsS http://127.0.0.1:8080/health/ready >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/slmops-gpu"]
