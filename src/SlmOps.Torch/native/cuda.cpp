// torch.cuda: availability, device facts, memory statistics, synchronisation.
#include "shim.h"

#ifdef SLM_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#endif

int64_t slm::cuda_device_count() {
#ifdef SLM_WITH_CUDA
    try { return static_cast<int64_t>(c10::cuda::device_count()); } catch (...) { return 0; }
#else
    return 0;
#endif
}

namespace {
void require_cuda(int device) {
    slm::make_device(static_cast<int>(at::kCUDA), device);  // throws "CUDA is not available ..."
#ifndef SLM_WITH_CUDA
    throw std::runtime_error("this SlmOps native library was built without CUDA support");
#endif
}
}  // namespace

SLM_API int SlmCuda_is_available() { return slm::cuda_device_count() > 0 ? 1 : 0; }

SLM_API int SlmCuda_device_count() { return static_cast<int>(slm::cuda_device_count()); }

// Copies the device name (NUL-terminated, truncated to capacity) into buffer.
SLM_API int SlmCuda_get_device_name(int device, char* buffer, int capacity) {
    SLM_STATUS_BEGIN
    require_cuda(device);
#ifdef SLM_WITH_CUDA
    const char* name = at::cuda::getDeviceProperties(device)->name;
    std::snprintf(buffer, static_cast<size_t>(capacity), "%s", name);
#endif
    SLM_STATUS_END
}

// what: 0 = allocated now, 1 = peak allocated.
SLM_API int SlmCuda_memory_stat(int device, int what, int64_t* out) {
    SLM_STATUS_BEGIN
    require_cuda(device);
#ifdef SLM_WITH_CUDA
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
    const auto& aggregate = stats.allocated_bytes[0];  // index 0 is StatType::AGGREGATE in every version
    *out = what == 0 ? aggregate.current : aggregate.peak;
#endif
    SLM_STATUS_END
}

SLM_API int SlmCuda_reset_peak_memory_stats(int device) {
    SLM_STATUS_BEGIN
    require_cuda(device);
#ifdef SLM_WITH_CUDA
    c10::cuda::CUDACachingAllocator::resetPeakStats(device);
#endif
    SLM_STATUS_END
}

SLM_API int SlmCuda_synchronize(int device) {
    SLM_STATUS_BEGIN
    require_cuda(device);
#ifdef SLM_WITH_CUDA
    c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(device));
    c10::cuda::device_synchronize();
#endif
    SLM_STATUS_END
}

SLM_API int SlmCuda_manual_seed_all(int64_t seed) {
    SLM_STATUS_BEGIN
    require_cuda(0);
    const int64_t count = slm::cuda_device_count();
    for (int64_t i = 0; i < count; ++i) {
        auto gen = at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i)));
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(static_cast<uint64_t>(seed));
    }
    SLM_STATUS_END
}
