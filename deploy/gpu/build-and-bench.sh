#!/usr/bin/env bash
# GPU benchmark of SlmOps.Torch, in two halves because GPU machines have no .NET SDK:
#
#   deploy/gpu/build-and-bench.sh publish [OUT]   (here, with .NET)  self-contained publish of the benchmark
#                                                   plus the native shim's sources and the Python side -> OUT
#                                                   (default .slmops/gpu-bench); copy OUT to the GPU machine.
#   OUT/build-and-bench.sh run [args...]           (on the GPU machine) builds the shim against the CUDA libtorch
#                                                   of the installed PyTorch wheel, then runs the benchmark on
#                                                   cuda:0 in float32 and with bf16 autocast (MFU printed).
#   OUT/build-and-bench.sh ddp [args...]           (on a machine with >= 2 GPUs) builds the shim likewise (with NCCL),
#                                                   then runs the data-parallel benchmark over NCCL, one GPU per
#                                                   rank, against PyTorch DDP (deploy/gpu/ddp-nccl.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-}
shift || true

case "$mode" in
publish)
    root=$(cd "$here/../.." && pwd)
    out=$(realpath -m "${1:-$root/.slmops/gpu-bench}")
    rm -rf "$out"
    mkdir -p "$out"
    # The CPU shim is built as usual (it is replaced on the GPU machine); the managed code is device-agnostic.
    dotnet publish -c Release -r linux-x64 --self-contained true -nologo -v quiet \
        -o "$out/app" "$root/tests/SlmOps.Benchmarks.Torch/SlmOps.Benchmarks.Torch.csproj"
    rm -f "$out/app/libslmops_torch.so"
    cp -r "$root/src/SlmOps.Torch/native" "$out/native"
    rm -rf "$out/native/build"
    cp "$here/build-and-bench.sh" "$here/ddp-nccl.sh" "$out/"
    chmod +x "$out/build-and-bench.sh" "$out/ddp-nccl.sh" "$out/app/SlmOps.Benchmarks.Torch"
    echo "published to $out ($(du -sh "$out" | cut -f1)); on the GPU machine run: $out/build-and-bench.sh run" >&2
    ;;
run|ddp)
    python=${PYTHON:-python3}
    prefix=$("$python" -c "import torch;print(torch.utils.cmake_prefix_path)")
    echo "building the shim against $prefix (torch $("$python" -c 'import torch;print(torch.__version__)'))" >&2
    cmake -S "$here/native" -B "$here/native/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >&2
    cmake --build "$here/native/build" --parallel "$(nproc)" >&2
    cp "$here/native/build/libslmops_torch.so" "$here/app/"
    if [[ "$mode" == ddp ]]; then
        # One GPU per rank (cuda:0, cuda:1), NCCL on both sides, one intra-op thread per rank.
        "$here/app/SlmOps.Benchmarks.Torch" ddp --device cuda --threads 1 --python "$python" "$@"
        exit 0
    fi
    threads=${SLMOPS_BENCH_THREADS:-$(nproc)}
    # float32 first (the like-for-like comparison), then bf16 autocast with MFU.
    "$here/app/SlmOps.Benchmarks.Torch" --device cuda:0 --threads "$threads" --python "$python" "$@"
    "$here/app/SlmOps.Benchmarks.Torch" --device cuda:0 --bf16 --threads "$threads" --python "$python" "$@"
    ;;
*)
    echo "usage: $0 publish [OUT] | run [benchmark args...] | ddp [benchmark args...]" >&2
    exit 2
    ;;
esac
