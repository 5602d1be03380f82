// What distributed.cpp and reducer.cpp share: the process-group handle type.
#pragma once

#include "shim.h"

#ifdef SLM_WITH_C10D
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>

// libtorch 2.x split process groups into a ProcessGroup front and per-device Backends; Gloo and NCCL
// are Backends there and ProcessGroups in 1.13. Both expose the same collectives.
#if SLM_TORCH_AT_LEAST(2, 0)
using PgBase = c10d::Backend;
#else
using PgBase = c10d::ProcessGroup;
#endif
// A process-group handle from C# is a PgPtr*.
using PgPtr = c10::intrusive_ptr<PgBase>;
#endif
