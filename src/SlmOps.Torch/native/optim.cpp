// Optimizers: one call updates every parameter in place, so a step costs one P/Invoke.
#include "shim.h"

// Same arithmetic as torch.optim.AdamW's single-tensor path. Parameters without a gradient are
// skipped and keep their step count, as in PyTorch. steps[i] is incremented for updated params.
SLM_API int SlmOptim_adamw_step(THandle* params, THandle* exp_avgs, THandle* exp_avg_sqs, int64_t* steps, int64_t n,
                                double lr, double beta1, double beta2, double eps, double weight_decay) {
    SLM_STATUS_BEGIN
    c10::AutoGradMode no_grad(false);
    for (int64_t i = 0; i < n; ++i) {
        at::Tensor& param = *params[i];
        const at::Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        at::Tensor& exp_avg = *exp_avgs[i];
        at::Tensor& exp_avg_sq = *exp_avg_sqs[i];
        const int64_t step = ++steps[i];

        if (weight_decay != 0) param.mul_(1 - lr * weight_decay);
        exp_avg.mul_(beta1).add_(grad, 1 - beta1);
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);

        const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step));
        const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(step));
        const double step_size = lr / bias_correction1;
        auto denom = (exp_avg_sq.sqrt() / std::sqrt(bias_correction2)).add_(eps);
        param.addcdiv_(exp_avg, denom, -step_size);
    }
    SLM_STATUS_END
}

// torch.optim.SGD (dampening 0, not Nesterov). momentum_buffers may be null when momentum == 0;
// buffers start at zero, which equals PyTorch's clone-on-first-step when dampening is 0.
SLM_API int SlmOptim_sgd_step(THandle* params, THandle* momentum_buffers, int64_t n, double lr, double momentum,
                              double weight_decay) {
    SLM_STATUS_BEGIN
    c10::AutoGradMode no_grad(false);
    for (int64_t i = 0; i < n; ++i) {
        at::Tensor& param = *params[i];
        const at::Tensor& grad = param.grad();
        if (!grad.defined()) continue;
        at::Tensor d_p = weight_decay != 0 ? grad.add(param, weight_decay) : grad;
        if (momentum != 0) {
            at::Tensor& buf = *momentum_buffers[i];
            buf.mul_(momentum).add_(d_p);
            d_p = buf;
        }
        param.add_(d_p, -lr);
    }
    SLM_STATUS_END
}

SLM_API int SlmOptim_zero_grad(THandle* params, int64_t n, int set_to_none) {
    SLM_STATUS_BEGIN
    for (int64_t i = 0; i < n; ++i) {
        at::Tensor& g = params[i]->mutable_grad();
        if (!g.defined()) continue;
        if (set_to_none) {
            g.reset();
        } else {
            g = g.detach();
            g.zero_();
        }
    }
    SLM_STATUS_END
}

// torch.nn.utils.clip_grad_norm_ with the 2-norm; writes the total norm before clipping.
SLM_API int SlmOptim_clip_grad_norm(THandle* params, int64_t n, double max_norm, double* total_norm) {
    SLM_STATUS_BEGIN
    c10::AutoGradMode no_grad(false);
    std::vector<at::Tensor> grads;
    grads.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const at::Tensor& g = params[i]->grad();
        if (g.defined()) grads.push_back(g);
    }
    if (grads.empty()) {
        *total_norm = 0;
        return 0;
    }
    std::vector<at::Tensor> norms;
    norms.reserve(grads.size());
    for (const auto& g : grads) norms.push_back(at::norm(g, 2));
    at::Tensor total = at::norm(at::stack(norms), 2);
    at::Tensor clip_coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
    for (auto& g : grads) g.mul_(clip_coef.to(g.device()));
    *total_norm = total.item().toDouble();
    SLM_STATUS_END
}
