// torch.nn.functional counterparts (layers without state).
#include "shim.h"

namespace {
c10::optional<at::Tensor> optional_tensor(THandle h) {
    return h ? c10::optional<at::Tensor>(*h) : c10::nullopt;
}

// softmax(Q K^T / sqrt(d) + mask) V, the reference definition; libtorch < 2.0 has no fused kernel.
at::Tensor attention_math(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          const c10::optional<at::Tensor>& mask, double dropout_p, bool is_causal) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    auto scores = at::matmul(q, k.transpose(-2, -1)).mul_(scale);
    const int64_t L = q.size(-2), S = k.size(-2);
    if (is_causal) {
        auto keep = at::ones({L, S}, q.options().dtype(at::kBool)).tril();
        scores.masked_fill_(keep.logical_not(), -std::numeric_limits<double>::infinity());
    }
    if (mask.has_value()) {
        if (mask->scalar_type() == at::kBool)  // true = may attend, as in PyTorch's SDPA
            scores.masked_fill_(mask->logical_not(), -std::numeric_limits<double>::infinity());
        else
            scores.add_(*mask);
    }
    auto probs = at::softmax(scores, -1);
    if (dropout_p > 0) probs = at::dropout(probs, dropout_p, true);
    return at::matmul(probs, v);
}
}  // namespace

SLM_API THandle SlmNN_linear(THandle input, THandle weight, THandle bias) {
    SLM_TRY
    const auto b = optional_tensor(bias);
    if (auto few_rows = slm::few_rows_linear(*input, *weight, b)) return slm::wrap(std::move(*few_rows));
    return slm::wrap(at::linear(*input, *weight, b));
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmNN_layer_norm(THandle input, const int64_t* normalized_shape, int n, THandle weight,
                                 THandle bias, double eps) {
    SLM_TRY
    return slm::wrap(at::layer_norm(*input, slm::dims(normalized_shape, n), optional_tensor(weight),
                                    optional_tensor(bias), eps, /*cudnn_enable=*/true));
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmNN_embedding(THandle indices, THandle weight) {
    SLM_TRY return slm::wrap(at::embedding(*weight, *indices)); SLM_CATCH(nullptr)
}

SLM_API THandle SlmNN_dropout(THandle input, double p, int training) {
    SLM_TRY return slm::wrap(at::dropout(*input, p, training != 0)); SLM_CATCH(nullptr)
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
SLM_API THandle SlmNN_cross_entropy(THandle logits, THandle target, int64_t ignore_index, int reduction,
                                    double label_smoothing) {
    SLM_TRY
    if (at::isFloatingType(target->scalar_type()) && target->dim() != logits->dim()) {
        // libtorch's own message here is about class probabilities; say what is actually wrong.
        throw std::runtime_error(std::string("cross_entropy expects class-index targets of dtype Long (int64), got ") +
                                 c10::toString(target->scalar_type()) + " with shape " +
                                 c10::str(target->sizes()) + " for logits of shape " + c10::str(logits->sizes()));
    }
    return slm::wrap(at::cross_entropy_loss(*logits, *target, c10::nullopt, reduction, ignore_index, label_smoothing));
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmNN_mse_loss(THandle input, THandle target, int reduction) {
    SLM_TRY return slm::wrap(at::mse_loss(*input, *target, reduction)); SLM_CATCH(nullptr)
}

SLM_API THandle SlmNN_scaled_dot_product_attention(THandle q, THandle k, THandle v, THandle mask,
                                                   double dropout_p, int is_causal) {
    SLM_TRY
#if SLM_TORCH_AT_LEAST(2, 0)
    return slm::wrap(at::scaled_dot_product_attention(*q, *k, *v, optional_tensor(mask), dropout_p, is_causal != 0));
#else
    return slm::wrap(attention_math(*q, *k, *v, optional_tensor(mask), dropout_p, is_causal != 0));
#endif
    SLM_CATCH(nullptr)
}

// Always the reference path, so tests can compare the fused kernel against it on libtorch >= 2.0.
SLM_API THandle SlmNN_attention_math(THandle q, THandle k, THandle v, THandle mask, double dropout_p, int is_causal) {
    SLM_TRY return slm::wrap(attention_math(*q, *k, *v, optional_tensor(mask), dropout_p, is_causal != 0)); SLM_CATCH(nullptr)
}
