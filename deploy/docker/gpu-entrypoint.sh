#!/bin/sh
# Puts the PyTorch wheel's libtorch (CUDA build) on the loader path, then starts the host named by SLMOPS_APP.
set -eu
torch_lib="$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec dotnet "/app/${SLMOPS_APP:-SlmOps.Worker}.dll" "$@"
