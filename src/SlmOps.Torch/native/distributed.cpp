// torch.distributed (c10d): a TCP key-value store for rendezvous, and process groups (Gloo on CPU,
// NCCL where the libtorch was built with it) running all-reduce, broadcast and barrier.
//
// Handles: a store is a `c10::intrusive_ptr<c10d::Store>*`, a process group a `PgPtr*` (below); each
// is freed by exactly one _dispose call from a C# SafeHandle. Collectives block until their work is
// done: Gloo raises its own timeout (the group's) or "connection closed" when a peer dies, and the C#
// side names the rank and the operation.
#include "shim.h"

#include <chrono>

#include "c10d.h"

#ifdef SLM_WITH_C10D
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#ifdef SLM_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef SLM_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#ifdef SLM_WITH_C10D

using StorePtr = c10::intrusive_ptr<c10d::Store>;

namespace {
// torch.distributed keys each group's rendezvous under its name ("0" for the default group), so a store can
// serve several groups; an empty prefix uses the store as is.
StorePtr scoped(void* store, const char* prefix) {
    auto& base = *static_cast<StorePtr*>(store);
    if (std::strlen(prefix) == 0) return base;
    return c10::make_intrusive<c10d::PrefixStore>(std::string(prefix), base);
}

at::Tensor& dense(at::Tensor& t) {
    // Gloo reads the storage in memory order; a strided view would be reduced as the wrong elements.
    if (!t.is_contiguous()) throw std::invalid_argument("the tensor must be contiguous (call .contiguous() first)");
    return t;
}

void wait(c10::intrusive_ptr<c10d::Work> work) {
    // Gloo's own timeout applies (the group's); wait() rethrows the work's exception.
    work->wait();
}
}  // namespace

SLM_API void* SlmStore_create_tcp(const char* host, int port, int is_server, int world_size, int64_t timeout_ms) {
    SLM_TRY
    c10d::TCPStoreOptions opts;
    opts.port = static_cast<std::uint16_t>(port);
    opts.isServer = is_server != 0;
    // The host counts itself among the workers and waits until every rank has connected.
    if (world_size > 0) opts.numWorkers = static_cast<std::size_t>(world_size);
    opts.waitWorkers = false;
    opts.timeout = std::chrono::milliseconds(timeout_ms);
    StorePtr store = c10::make_intrusive<c10d::TCPStore>(std::string(host), opts);
    return new StorePtr(std::move(store));
    SLM_CATCH(nullptr)
}

SLM_API int SlmStore_port(void* store, int* port) {
    SLM_STATUS_BEGIN
    auto* tcp = dynamic_cast<c10d::TCPStore*>(static_cast<StorePtr*>(store)->get());
    if (tcp == nullptr) throw std::runtime_error("not a TCP store");
    *port = tcp->getPort();
    SLM_STATUS_END
}

SLM_API int SlmStore_set(void* store, const char* key, const uint8_t* value, int64_t length) {
    SLM_STATUS_BEGIN
    (*static_cast<StorePtr*>(store))->set(std::string(key), std::vector<uint8_t>(value, value + length));
    SLM_STATUS_END
}

// Waits (up to the store's timeout) for key; returns its length, copying up to capacity bytes.
SLM_API int64_t SlmStore_get(void* store, const char* key, uint8_t* buffer, int64_t capacity) {
    SLM_TRY
    auto value = (*static_cast<StorePtr*>(store))->get(std::string(key));
    std::memcpy(buffer, value.data(), static_cast<size_t>(std::min<int64_t>(capacity, static_cast<int64_t>(value.size()))));
    return static_cast<int64_t>(value.size());
    SLM_CATCH(-1)
}

SLM_API void SlmStore_dispose(void* store) { delete static_cast<StorePtr*>(store); }

// interface: the address this rank's Gloo device binds (e.g. "127.0.0.1"); empty = libtorch's default
// (the address the machine's hostname resolves to).
SLM_API void* SlmProcessGroup_create_gloo(void* store, const char* prefix, int rank, int world_size, int64_t timeout_ms, const char* interface) {
    SLM_TRY
#ifndef SLM_WITH_GLOO
    throw std::runtime_error(
        "Gloo is not available: this SlmOps native library was built without gloo's headers: install libgloo-dev "
        "(deploy/install.sh) and rebuild SlmOps.Torch");
#else
    auto options = c10d::ProcessGroupGloo::Options::create(std::chrono::milliseconds(timeout_ms));
    options->devices.push_back(std::strlen(interface) == 0 ? c10d::ProcessGroupGloo::createDefaultDevice()
                                                           : c10d::ProcessGroupGloo::createDeviceForHostname(interface));
    options->threads = 2;  // ProcessGroupGloo::Options default (torch.distributed): one bucket's all-reduce need not queue behind another's
    PgPtr group = c10::make_intrusive<c10d::ProcessGroupGloo>(scoped(store, prefix), rank, world_size, options);
    return new PgPtr(std::move(group));
#endif
    SLM_CATCH(nullptr)
}

SLM_API void* SlmProcessGroup_create_nccl(void* store, const char* prefix, int rank, int world_size, int64_t timeout_ms) {
    SLM_TRY
#ifdef SLM_WITH_NCCL
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = std::chrono::milliseconds(timeout_ms);
    PgPtr group = c10::make_intrusive<c10d::ProcessGroupNCCL>(scoped(store, prefix), rank, world_size, options);
    return new PgPtr(std::move(group));
#else
    throw std::runtime_error(
        "NCCL is not available: this SlmOps native library was built against a libtorch without NCCL "
        "(Debian's CPU libtorch); use the gloo backend, or build the shim against a CUDA libtorch");
#endif
    SLM_CATCH(nullptr)
}

SLM_API int SlmProcessGroup_has_nccl() {
#ifdef SLM_WITH_NCCL
    return 1;
#else
    return 0;
#endif
}

// op: 0 = sum, 1 = average (sum divided by the world size: Gloo in 1.13 has no AVG).
// One tensor per call: a list in c10d means one tensor per local device, all of the same shape.
SLM_API int SlmProcessGroup_allreduce(void* group, THandle tensor, int op) {
    SLM_STATUS_BEGIN
    auto& pg = *static_cast<PgPtr*>(group);
    std::vector<at::Tensor> list{dense(*tensor)};
    c10d::AllreduceOptions opts;
    opts.reduceOp = c10d::ReduceOp::SUM;
    wait(pg->allreduce(list, opts));
    if (op == 1) list[0].div_(pg->getSize());
    SLM_STATUS_END
}

SLM_API int SlmProcessGroup_broadcast(void* group, THandle tensor, int root) {
    SLM_STATUS_BEGIN
    std::vector<at::Tensor> list{dense(*tensor)};
    c10d::BroadcastOptions opts;
    opts.rootRank = root;
    wait((*static_cast<PgPtr*>(group))->broadcast(list, opts));
    SLM_STATUS_END
}

SLM_API int SlmProcessGroup_barrier(void* group) {
    SLM_STATUS_BEGIN
    wait((*static_cast<PgPtr*>(group))->barrier(c10d::BarrierOptions()));
    SLM_STATUS_END
}

SLM_API void SlmProcessGroup_dispose(void* group) {
    try { delete static_cast<PgPtr*>(group); } catch (...) {}
}

#else  // a libtorch without c10d's headers: every entry point says so.

namespace {
[[noreturn]] void no_gloo() {
    throw std::runtime_error(
        "this SlmOps native library was built against a libtorch without torch.distributed (c10d) headers");
}
}  // namespace


SLM_API void* SlmStore_create_tcp(const char*, int, int, int, int64_t) { SLM_TRY no_gloo(); SLM_CATCH(nullptr) }
SLM_API int SlmStore_port(void*, int*) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API int SlmStore_set(void*, const char*, const uint8_t*, int64_t) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API int64_t SlmStore_get(void*, const char*, uint8_t*, int64_t) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API void SlmStore_dispose(void*) {}
SLM_API void* SlmProcessGroup_create_gloo(void*, const char*, int, int, int64_t, const char*) { SLM_TRY no_gloo(); SLM_CATCH(nullptr) }
SLM_API void* SlmProcessGroup_create_nccl(void*, const char*, int, int, int64_t) { SLM_TRY no_gloo(); SLM_CATCH(nullptr) }
SLM_API int SlmProcessGroup_has_nccl() { return 0; }
SLM_API int SlmProcessGroup_allreduce(void*, THandle, int) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API int SlmProcessGroup_broadcast(void*, THandle, int) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API int SlmProcessGroup_barrier(void*) { SLM_TRY no_gloo(); SLM_CATCH(-1) }
SLM_API void SlmProcessGroup_dispose(void*) {}

#endif

// The libtorch this library was built against ("1.13.1", "2.5.1+cu124"): ranks compare it before training together.
SLM_API const char* SlmDistributed_torch_version() { return TORCH_VERSION; }

SLM_API int SlmDistributed_available() {
#if defined(SLM_WITH_C10D) && defined(SLM_WITH_GLOO)
    return 1;
#else
    return 0;
#endif
}
