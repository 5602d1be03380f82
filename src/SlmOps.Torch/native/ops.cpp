// Tensor operations: views, arithmetic, comparisons, reductions, indexing, in-place updates.
#include "shim.h"

// ---- views and shape ------------------------------------------------------------------------

SLM_API THandle SlmTensor_reshape(THandle self, const int64_t* shape, int n) {
    SLM_TRY return slm::wrap(self->reshape(slm::dims(shape, n))); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_view(THandle self, const int64_t* shape, int n) {
    SLM_TRY return slm::wrap(self->view(slm::dims(shape, n))); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_permute(THandle self, const int64_t* order, int n) {
    SLM_TRY return slm::wrap(self->permute(slm::dims(order, n))); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_expand(THandle self, const int64_t* shape, int n) {
    SLM_TRY return slm::wrap(self->expand(slm::dims(shape, n))); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_transpose(THandle self, int64_t d0, int64_t d1) {
    SLM_TRY return slm::wrap(self->transpose(d0, d1)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_slice(THandle self, int64_t dim, int64_t start, int64_t end, int64_t step) {
    SLM_TRY return slm::wrap(self->slice(dim, start, end, step)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_narrow(THandle self, int64_t dim, int64_t start, int64_t length) {
    SLM_TRY return slm::wrap(self->narrow(dim, start, length)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_unsqueeze(THandle self, int64_t dim) {
    SLM_TRY return slm::wrap(self->unsqueeze(dim)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_squeeze_dim(THandle self, int64_t dim) {
    SLM_TRY return slm::wrap(self->squeeze(dim)); SLM_CATCH(nullptr)
}
SLM_UNARY(squeeze, t.squeeze())
SLM_API THandle SlmTensor_tril(THandle self, int64_t k) { SLM_TRY return slm::wrap(self->tril(k)); SLM_CATCH(nullptr) }
SLM_API THandle SlmTensor_triu(THandle self, int64_t k) { SLM_TRY return slm::wrap(self->triu(k)); SLM_CATCH(nullptr) }

// ---- elementwise ----------------------------------------------------------------------------

SLM_BINARY(add, at::add(a, b))
SLM_BINARY(sub, at::sub(a, b))
SLM_BINARY(mul, at::mul(a, b))
SLM_BINARY(div, at::div(a, b))
SLM_BINARY(pow, at::pow(a, b))
SLM_BINARY(matmul, at::matmul(a, b))
SLM_API THandle SlmTensor_bmm(THandle self, THandle other) {
    SLM_TRY
    if (auto one_row = slm::one_row_bmm(*self, *other)) return slm::wrap(std::move(*one_row));
    return slm::wrap(at::bmm(*self, *other));
    SLM_CATCH(nullptr)
}
SLM_BINARY(maximum, at::maximum(a, b))
SLM_BINARY(minimum, at::minimum(a, b))
SLM_BINARY(eq, at::eq(a, b))
SLM_BINARY(ne, at::ne(a, b))
SLM_BINARY(lt, at::lt(a, b))
SLM_BINARY(le, at::le(a, b))
SLM_BINARY(gt, at::gt(a, b))
SLM_BINARY(ge, at::ge(a, b))
SLM_BINARY(logical_and, at::logical_and(a, b))
SLM_BINARY(logical_or, at::logical_or(a, b))

SLM_SCALAR(add_scalar, at::add(a, s))
SLM_SCALAR(sub_scalar, at::sub(a, s))
SLM_SCALAR(rsub_scalar, at::rsub(a, s))
SLM_SCALAR(mul_scalar, at::mul(a, s))
SLM_SCALAR(div_scalar, at::div(a, s))
SLM_SCALAR(rdiv_scalar, at::mul(at::reciprocal(a), s))
SLM_SCALAR(pow_scalar, at::pow(a, s))
SLM_SCALAR(eq_scalar, at::eq(a, s))
SLM_SCALAR(ne_scalar, at::ne(a, s))
SLM_SCALAR(lt_scalar, at::lt(a, s))
SLM_SCALAR(le_scalar, at::le(a, s))
SLM_SCALAR(gt_scalar, at::gt(a, s))
SLM_SCALAR(ge_scalar, at::ge(a, s))

SLM_UNARY(neg, at::neg(t))
SLM_UNARY(sqrt, at::sqrt(t))
SLM_UNARY(rsqrt, at::rsqrt(t))
SLM_UNARY(exp, at::exp(t))
SLM_UNARY(log, at::log(t))
SLM_UNARY(sin, at::sin(t))
SLM_UNARY(cos, at::cos(t))
SLM_UNARY(tanh, at::tanh(t))
SLM_UNARY(relu, at::relu(t))
SLM_UNARY(sigmoid, at::sigmoid(t))
SLM_UNARY(abs, at::abs(t))
SLM_UNARY(logical_not, at::logical_not(t))

SLM_API THandle SlmTensor_gelu(THandle self, int tanh_approximation) {
    SLM_TRY return slm::wrap(at::gelu(*self, tanh_approximation ? "tanh" : "none")); SLM_CATCH(nullptr)
}

SLM_API THandle SlmTensor_clamp(THandle self, double min, int has_min, double max, int has_max) {
    SLM_TRY
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return slm::wrap(at::clamp(*self, lo, hi));
    SLM_CATCH(nullptr)
}

// ---- reductions -----------------------------------------------------------------------------

SLM_UNARY(sum, at::sum(t))
SLM_UNARY(mean, at::mean(t))
SLM_UNARY(max, at::max(t))
SLM_UNARY(min, at::min(t))

SLM_API THandle SlmTensor_sum_dim(THandle self, int64_t dim, int keepdim) {
    SLM_TRY return slm::wrap(at::sum(*self, at::IntArrayRef{dim}, keepdim != 0)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_mean_dim(THandle self, int64_t dim, int keepdim) {
    SLM_TRY return slm::wrap(at::mean(*self, at::IntArrayRef{dim}, keepdim != 0)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_var(THandle self, int unbiased) {
    SLM_TRY return slm::wrap(at::var(*self, unbiased != 0)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_var_dim(THandle self, int64_t dim, int unbiased, int keepdim) {
    SLM_TRY return slm::wrap(at::var(*self, at::IntArrayRef{dim}, unbiased != 0, keepdim != 0)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_argmax(THandle self, int64_t dim, int keepdim) {
    SLM_TRY return slm::wrap(at::argmax(*self, dim, keepdim != 0)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_argmin(THandle self, int64_t dim, int keepdim) {
    SLM_TRY return slm::wrap(at::argmin(*self, dim, keepdim != 0)); SLM_CATCH(nullptr)
}

// Two-result reductions write both handles to out[0], out[1].
SLM_API int SlmTensor_max_dim(THandle self, int64_t dim, int keepdim, THandle* out) {
    SLM_STATUS_BEGIN
    auto r = at::max(*self, dim, keepdim != 0);
    out[0] = slm::wrap(std::get<0>(r));
    out[1] = slm::wrap(std::get<1>(r));
    SLM_STATUS_END
}
SLM_API int SlmTensor_min_dim(THandle self, int64_t dim, int keepdim, THandle* out) {
    SLM_STATUS_BEGIN
    auto r = at::min(*self, dim, keepdim != 0);
    out[0] = slm::wrap(std::get<0>(r));
    out[1] = slm::wrap(std::get<1>(r));
    SLM_STATUS_END
}
SLM_API int SlmTensor_topk(THandle self, int64_t k, int64_t dim, int largest, int sorted, THandle* out) {
    SLM_STATUS_BEGIN
    auto r = at::topk(*self, k, dim, largest != 0, sorted != 0);
    out[0] = slm::wrap(std::get<0>(r));
    out[1] = slm::wrap(std::get<1>(r));
    SLM_STATUS_END
}

SLM_API THandle SlmTensor_softmax(THandle self, int64_t dim) {
    SLM_TRY return slm::wrap(at::softmax(*self, dim)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_log_softmax(THandle self, int64_t dim) {
    SLM_TRY return slm::wrap(at::log_softmax(*self, dim)); SLM_CATCH(nullptr)
}

// ---- indexing and selection ---------------------------------------------------------------

SLM_API THandle SlmTensor_masked_fill(THandle self, THandle mask, double value, int is_integral) {
    SLM_TRY return slm::wrap(self->masked_fill(*mask, slm::scalar(value, is_integral))); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_index_select(THandle self, int64_t dim, THandle index) {
    SLM_TRY return slm::wrap(at::index_select(*self, dim, *index)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_gather(THandle self, int64_t dim, THandle index) {
    SLM_TRY return slm::wrap(at::gather(*self, dim, *index)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_where(THandle condition, THandle self, THandle other) {
    SLM_TRY return slm::wrap(at::where(*condition, *self, *other)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_cat(THandle* handles, int64_t n, int64_t dim) {
    SLM_TRY return slm::wrap(at::cat(slm::tensors(handles, n), dim)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_stack(THandle* handles, int64_t n, int64_t dim) {
    SLM_TRY return slm::wrap(at::stack(slm::tensors(handles, n), dim)); SLM_CATCH(nullptr)
}
SLM_API THandle SlmTensor_multinomial(THandle probs, int64_t n, int replacement) {
    SLM_TRY return slm::wrap(at::multinomial(*probs, n, replacement != 0)); SLM_CATCH(nullptr)
}

// ---- in-place ------------------------------------------------------------------------------

SLM_API int SlmTensor_add_(THandle self, THandle other, double alpha) {
    SLM_STATUS_BEGIN self->add_(*other, alpha); SLM_STATUS_END
}
SLM_API int SlmTensor_add_scalar_(THandle self, double value, int is_integral) {
    SLM_STATUS_BEGIN self->add_(slm::scalar(value, is_integral)); SLM_STATUS_END
}
SLM_API int SlmTensor_mul_(THandle self, THandle other) {
    SLM_STATUS_BEGIN self->mul_(*other); SLM_STATUS_END
}
SLM_API int SlmTensor_mul_scalar_(THandle self, double value, int is_integral) {
    SLM_STATUS_BEGIN self->mul_(slm::scalar(value, is_integral)); SLM_STATUS_END
}
SLM_API int SlmTensor_zero_(THandle self) { SLM_STATUS_BEGIN self->zero_(); SLM_STATUS_END }
SLM_API int SlmTensor_fill_(THandle self, double value, int is_integral) {
    SLM_STATUS_BEGIN self->fill_(slm::scalar(value, is_integral)); SLM_STATUS_END
}
SLM_API int SlmTensor_copy_(THandle self, THandle src) { SLM_STATUS_BEGIN self->copy_(*src); SLM_STATUS_END }
SLM_API int SlmTensor_index_copy_(THandle self, int64_t dim, THandle index, THandle src) {
    SLM_STATUS_BEGIN self->index_copy_(dim, *index, *src); SLM_STATUS_END
}
