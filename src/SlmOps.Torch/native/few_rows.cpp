// Products over a few rows at a time, as decode steps make them (one row per sequence), on the CPU in float32.
//
// Why: at a few rows OpenBLAS 0.3.21 runs its general sgemm, which packs the whole weight (or cache) matrix on every
// call. For a decode step that packing is most of the work: measured on the paper LLM's 34 block linears, one row took
// 7.3 ms through sgemm and 4.5 ms here; 8 rows 2-4x more than 8 separate rows. These kernels stream each matrix row
// once and use it for every input row while it is in L1, so a batched step reads its weights once. Anything that needs
// autograd, another dtype or device, more rows, or a CPU without AVX2+FMA goes to ATen as before.
#include "shim.h"

#include <ATen/Parallel.h>

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

constexpr int64_t kMaxLinearRows = 16;

bool no_grad_needed(std::initializer_list<const at::Tensor*> tensors) {
    if (!at::GradMode::is_enabled()) return true;
    for (auto t : tensors)
        if (t && t->requires_grad()) return false;
    return true;
}

bool cpu_float(const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat; }

#if defined(__x86_64__)
bool cpu_supports_kernels() {
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok;
}

__attribute__((target("avx2,fma"))) inline float horizontal_sum(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

// R rows of x (R <= 8) against weight rows [n0, n1): out[r * n_total + n] = x[r] . w[n] + b[n].
template <int R>
__attribute__((target("avx2,fma"))) void linear_rows(const float* x, const float* w, const float* b, float* out,
                                                     int64_t k, int64_t n0, int64_t n1, int64_t n_total) {
    for (int64_t n = n0; n < n1; ++n) {
        const float* wn = w + n * k;
        __m256 acc[R];
        for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
        int64_t i = 0;
        for (; i + 8 <= k; i += 8) {
            const __m256 wv = _mm256_loadu_ps(wn + i);
            for (int r = 0; r < R; ++r) acc[r] = _mm256_fmadd_ps(_mm256_loadu_ps(x + r * k + i), wv, acc[r]);
        }
        for (int r = 0; r < R; ++r) {
            float s = horizontal_sum(acc[r]);
            for (int64_t j = i; j < k; ++j) s += x[r * k + j] * wn[j];
            out[r * n_total + n] = s + (b ? b[n] : 0.0f);
        }
    }
}

using LinearKernel = void (*)(const float*, const float*, const float*, float*, int64_t, int64_t, int64_t, int64_t);
constexpr LinearKernel kLinearKernels[9] = {nullptr, linear_rows<1>, linear_rows<2>, linear_rows<3>, linear_rows<4>,
                                            linear_rows<5>, linear_rows<6>, linear_rows<7>, linear_rows<8>};

// out[e0, e1) = sum_j a[j] * v[j * v_row + e] for e in [e0, e1): one row of weights against a (L, E) matrix whose rows
// are v_row floats apart (a view into a larger cache is fine), accumulated in L1.
__attribute__((target("avx2,fma"))) void weighted_rows(const float* a, const float* v, int64_t length, int64_t v_row,
                                                       float* out, int64_t e0, int64_t e1) {
    int64_t e = e0;
    for (; e + 32 <= e1; e += 32) {
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
        for (int64_t j = 0; j < length; ++j) {
            const __m256 aj = _mm256_set1_ps(a[j]);
            const float* row = v + j * v_row + e;
            acc0 = _mm256_fmadd_ps(aj, _mm256_loadu_ps(row), acc0);
            acc1 = _mm256_fmadd_ps(aj, _mm256_loadu_ps(row + 8), acc1);
            acc2 = _mm256_fmadd_ps(aj, _mm256_loadu_ps(row + 16), acc2);
            acc3 = _mm256_fmadd_ps(aj, _mm256_loadu_ps(row + 24), acc3);
        }
        _mm256_storeu_ps(out + e, acc0);
        _mm256_storeu_ps(out + e + 8, acc1);
        _mm256_storeu_ps(out + e + 16, acc2);
        _mm256_storeu_ps(out + e + 24, acc3);
    }
    for (; e < e1; ++e) {
        float s = 0;
        for (int64_t j = 0; j < length; ++j) s += a[j] * v[j * v_row + e];
        out[e] = s;
    }
}
#else
bool cpu_supports_kernels() { return false; }
#endif

}  // namespace

namespace slm {

c10::optional<at::Tensor> few_rows_linear(const at::Tensor& input, const at::Tensor& weight, const c10::optional<at::Tensor>& bias) {
    if (!cpu_supports_kernels() || !cpu_float(input) || !cpu_float(weight)) return c10::nullopt;
    if (weight.dim() != 2 || !weight.is_contiguous() || input.dim() < 1 || input.size(-1) != weight.size(1) || weight.size(1) == 0) return c10::nullopt;
    if (bias && (!cpu_float(*bias) || bias->dim() != 1 || bias->size(0) != weight.size(0) || !bias->is_contiguous())) return c10::nullopt;
    const int64_t k = weight.size(1), n = weight.size(0), rows = input.numel() / k;
    if (rows < 1 || rows > kMaxLinearRows || !no_grad_needed({&input, &weight, bias ? &*bias : nullptr})) return c10::nullopt;
#if defined(__x86_64__)
    const at::Tensor x = input.contiguous();
    auto sizes = input.sizes().vec();
    sizes.back() = n;
    at::Tensor out = at::empty(sizes, input.options());
    const float* xp = x.data_ptr<float>();
    const float* wp = weight.data_ptr<float>();
    const float* bp = bias ? bias->data_ptr<float>() : nullptr;
    float* op = out.data_ptr<float>();
    // Blocks of weight rows per thread; within a block, rows of x in chunks of at most 8 (one accumulator each).
    at::parallel_for(0, n, 64, [&](int64_t n0, int64_t n1) {
        for (int64_t r0 = 0; r0 < rows; r0 += 8) {
            const int64_t r = std::min<int64_t>(8, rows - r0);
            kLinearKernels[r](xp + r0 * k, wp, bp, op + r0 * n, k, n0, n1, n);
        }
    });
    return out;
#else
    return c10::nullopt;
#endif
}

c10::optional<at::Tensor> one_row_bmm(const at::Tensor& a, const at::Tensor& v) {
    if (!cpu_supports_kernels() || !cpu_float(a) || !cpu_float(v) || a.dim() != 3 || v.dim() != 3) return c10::nullopt;
    const int64_t batch = a.size(0), length = a.size(2), width = v.size(2);
    if (a.size(1) != 1 || v.size(0) != batch || v.size(1) != length || v.stride(2) != 1 || length == 0) return c10::nullopt;
    if (!no_grad_needed({&a, &v})) return c10::nullopt;
#if defined(__x86_64__)
    const at::Tensor weights = a.contiguous();
    at::Tensor out = at::empty({batch, 1, width}, a.options());
    const float* ap = weights.data_ptr<float>();
    const float* vp = v.data_ptr<float>();
    float* op = out.data_ptr<float>();
    const int64_t v_batch = v.stride(0), v_row = v.stride(1);
    // Tasks of (batch row, 256 columns): even one row splits across threads.
    const int64_t chunks = (width + 255) / 256;
    at::parallel_for(0, batch * chunks, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t b = t / chunks, e0 = (t % chunks) * 256, e1 = std::min<int64_t>(width, e0 + 256);
            weighted_rows(ap + b * length, vp + b * v_batch, length, v_row, op + b * width, e0, e1);
        }
    });
    return out;
#else
    return c10::nullopt;
#endif
}

}  // namespace slm
