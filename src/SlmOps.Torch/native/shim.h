// Common header of the SlmOps libtorch shim (also the precompiled header).
//
// Conventions of the C ABI:
//  - Tensors cross the boundary as opaque `at::Tensor*` handles allocated with new; each is freed
//    by exactly one SlmTensor_dispose call from the C# SafeHandle.
//  - No C++ exception ever crosses the boundary. A failing call stores the message in a
//    thread-local string (SlmErr_last) and returns nullptr (handle results) or -1 (status results).
//    The C# side tests the return value, so the success path costs no extra call.
#pragma once

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#define SLM_API extern "C" __attribute__((visibility("default")))

#define SLM_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

using THandle = at::Tensor*;

namespace slm {

void set_error(const char* message);

inline THandle wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

// Number of CUDA devices; 0 with a CPU-only libtorch or no driver (defined in cuda.cpp).
int64_t cuda_device_count();

// Decode-step kernels (few_rows.cpp), CPU float32 without autograd; nullopt when they do not apply and ATen should run:
// x W^T + b for 1..16 rows of x, reading W once;
c10::optional<at::Tensor> few_rows_linear(const at::Tensor& input, const at::Tensor& weight, const c10::optional<at::Tensor>& bias);
// a (B, 1, L) @ v (B, L, E), v's rows may be strided (a view of a cache).
c10::optional<at::Tensor> one_row_bmm(const at::Tensor& a, const at::Tensor& v);

// Throws a readable error instead of libtorch's "Cannot initialize CUDA without ATen_cuda library".
at::Device make_device(int type, int index);

// dtype + device only: ATen factories ignore requires_grad in TensorOptions (only torch:: ones honour
// it), so factories go through leaf() below.
at::TensorOptions options(int dtype, int device_type, int device_index);

inline THandle leaf(at::Tensor t, int requires_grad) {
    if (requires_grad) t.set_requires_grad(true);
    return wrap(std::move(t));
}

// C# passes scalars as a double plus a flag so that `long_tensor * 2` stays integral, as in PyTorch.
inline at::Scalar scalar(double value, int is_integral) {
    return is_integral ? at::Scalar(static_cast<int64_t>(value)) : at::Scalar(value);
}

inline at::IntArrayRef dims(const int64_t* data, int n) { return at::IntArrayRef(data, static_cast<size_t>(n)); }

inline std::vector<at::Tensor> tensors(THandle* handles, int64_t n) {
    std::vector<at::Tensor> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out.push_back(*handles[i]);
    return out;
}

}  // namespace slm

#define SLM_TRY try {
#define SLM_CATCH(fail_value)                                                   \
    }                                                                           \
    catch (const c10::Error& e) { slm::set_error(e.what_without_backtrace()); } \
    catch (const std::exception& e) { slm::set_error(e.what()); }               \
    catch (...) { slm::set_error("unknown native exception in libtorch"); }     \
    return fail_value;

// Handle-returning export over an expression of `t` (the receiver).
#define SLM_UNARY(name, expr)                                   \
    SLM_API THandle SlmTensor_##name(THandle self) {            \
        SLM_TRY const at::Tensor& t = *self; return slm::wrap(expr); \
        SLM_CATCH(nullptr)                                      \
    }

// Handle-returning export over `a` and `b`.
#define SLM_BINARY(name, expr)                                         \
    SLM_API THandle SlmTensor_##name(THandle self, THandle other) {    \
        SLM_TRY const at::Tensor& a = *self; const at::Tensor& b = *other; \
        return slm::wrap(expr);                                        \
        SLM_CATCH(nullptr)                                             \
    }

// Handle-returning export over tensor `a` and scalar `s`.
#define SLM_SCALAR(name, expr)                                                       \
    SLM_API THandle SlmTensor_##name(THandle self, double value, int is_integral) {  \
        SLM_TRY const at::Tensor& a = *self; at::Scalar s = slm::scalar(value, is_integral); \
        return slm::wrap(expr);                                                      \
        SLM_CATCH(nullptr)                                                           \
    }

// Status-returning export (0 = ok, -1 = failed) for in-place work.
#define SLM_STATUS_BEGIN SLM_TRY
#define SLM_STATUS_END return 0; SLM_CATCH(-1)
