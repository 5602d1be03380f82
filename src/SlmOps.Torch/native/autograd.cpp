// Autograd, grad mode, random state, threads and autocast: the thread-local/global switches.
#include "shim.h"

#include <ATen/Parallel.h>

SLM_API int SlmAutograd_backward(THandle self, THandle gradient, int retain_graph) {
    SLM_STATUS_BEGIN
    self->backward(gradient ? *gradient : at::Tensor(), retain_graph ? c10::optional<bool>(true) : c10::nullopt);
    SLM_STATUS_END
}

// Writes nullptr when the tensor has no gradient (PyTorch's None).
SLM_API int SlmAutograd_grad(THandle self, THandle* out) {
    SLM_STATUS_BEGIN
    const at::Tensor& g = self->grad();
    *out = g.defined() ? slm::wrap(g) : nullptr;
    SLM_STATUS_END
}

SLM_API int SlmAutograd_set_grad(THandle self, THandle grad) {
    SLM_STATUS_BEGIN
    if (grad) self->mutable_grad() = *grad; else self->mutable_grad().reset();
    SLM_STATUS_END
}

// Grad mode is thread-local in libtorch; P/Invoke runs on the caller's thread, so C# guards
// can flip it across calls (an RAII guard could not outlive one call).
SLM_API int SlmAutograd_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
SLM_API void SlmAutograd_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

// ---- random ------------------------------------------------------------------------------

SLM_API int SlmRandom_manual_seed(int64_t seed) {
    SLM_STATUS_BEGIN at::manual_seed(static_cast<uint64_t>(seed)); SLM_STATUS_END
}

SLM_API THandle SlmRandom_get_state(int device_type, int device_index) {
    SLM_TRY
    auto gen = at::globalContext().defaultGenerator(slm::make_device(device_type, device_index));
    std::lock_guard<std::mutex> lock(gen.mutex());
    return slm::wrap(gen.get_state());
    SLM_CATCH(nullptr)
}

SLM_API int SlmRandom_set_state(int device_type, int device_index, THandle state) {
    SLM_STATUS_BEGIN
    auto gen = at::globalContext().defaultGenerator(slm::make_device(device_type, device_index));
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(*state);
    SLM_STATUS_END
}

// ---- threads -----------------------------------------------------------------------------

SLM_API int SlmThreads_get_num_threads() { return at::get_num_threads(); }
SLM_API int SlmThreads_set_num_threads(int n) { SLM_STATUS_BEGIN at::set_num_threads(n); SLM_STATUS_END }

// ---- autocast (CUDA bf16/fp16) -----------------------------------------------------------

namespace {
bool autocast_enabled() {
#if SLM_TORCH_AT_LEAST(2, 4)
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}
at::ScalarType autocast_dtype() {
#if SLM_TORCH_AT_LEAST(2, 4)
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}
void set_autocast(bool enabled, at::ScalarType dtype) {
#if SLM_TORCH_AT_LEAST(2, 4)
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
#else
    at::autocast::set_enabled(enabled);
    at::autocast::set_autocast_gpu_dtype(dtype);
#endif
}
}  // namespace

// Mirrors torch.autocast.__enter__: remembers the previous state for the matching exit.
SLM_API int SlmAutocast_enter(int dtype, int* previous_enabled, int* previous_dtype) {
    SLM_STATUS_BEGIN
    slm::make_device(static_cast<int>(at::kCUDA), -1);  // clear error when CUDA is absent
    *previous_enabled = autocast_enabled() ? 1 : 0;
    *previous_dtype = static_cast<int>(autocast_dtype());
    set_autocast(true, static_cast<at::ScalarType>(dtype));
    at::autocast::increment_nesting();
    SLM_STATUS_END
}

SLM_API int SlmAutocast_exit(int previous_enabled, int previous_dtype) {
    SLM_STATUS_BEGIN
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    set_autocast(previous_enabled != 0, static_cast<at::ScalarType>(previous_dtype));
    SLM_STATUS_END
}

SLM_API int SlmAutocast_is_enabled() { return autocast_enabled() ? 1 : 0; }
