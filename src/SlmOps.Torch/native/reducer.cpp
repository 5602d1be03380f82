// Gradient averaging overlapped with backward, as PyTorch DDP's reducer does: a post hook on each parameter's
// gradient accumulator marks the parameter ready; once every parameter of a bucket is ready (and every earlier
// bucket has been launched, so all ranks issue their collectives in the same order) the bucket's gradients are
// copied into its persistent flat buffer and its all-reduce starts asynchronously while backward goes on.
// finish() (after backward) launches the buckets still waiting (a parameter without a gradient counts as zeros),
// waits for every all-reduce, divides for an average and copies the results back into the gradients.
//
// A gradient that arrives again after its bucket was launched (a second backward before finish: gradient
// accumulation) marks the bucket stale; finish() reduces it again from the accumulated gradients.
//
// Handles: a reducer is a `std::shared_ptr<Reducer>*`; the hooks hold weak pointers, and dispose removes them,
// so a backward after dispose runs without them. Errors inside a hook are kept and rethrown by finish().
#include "c10d.h"

#ifdef SLM_WITH_C10D
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>

#include <exception>
#include <memory>
#include <mutex>

namespace {

class Reducer {
public:
    Reducer(PgPtr group, std::vector<at::Tensor> params, const int64_t* bucket_ends, int64_t n_buckets, bool average)
        : group_(std::move(group)), params_(std::move(params)), average_(average), seen_(params_.size(), 0),
          bucket_of_(params_.size(), 0) {
        size_t begin = 0;
        for (int64_t b = 0; b < n_buckets; ++b) {
            const auto end = static_cast<size_t>(bucket_ends[b]);
            if (end <= begin || end > params_.size()) throw std::invalid_argument("bucket ends must increase and stay within the parameters");
            Bucket bucket{begin, end};
            int64_t total = 0;
            for (size_t i = begin; i < end; ++i) {
                const auto& p = params_[i];
                if (!p.defined()) throw std::invalid_argument("a parameter is undefined (disposed?)");
                if (p.options().dtype() != params_[begin].options().dtype() || p.device() != params_[begin].device())
                    throw std::invalid_argument("every parameter of a bucket must have the same dtype and device");
                bucket.offsets.push_back(total);
                total += p.numel();
                bucket_of_[i] = buckets_.size();
            }
            bucket.flat = at::empty({total}, params_[begin].options().requires_grad(false));
            bucket.pending = end - begin;
            buckets_.push_back(std::move(bucket));
            begin = end;
        }
        if (begin != params_.size()) throw std::invalid_argument("the buckets must cover every parameter");
    }

    const std::vector<at::Tensor>& params() const { return params_; }

    // A gradient accumulator's post hook: parameter i's gradient is in place.
    void ready(size_t i) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (error_) return;
        try {
            auto& bucket = buckets_[bucket_of_[i]];
            if (seen_[i]) {
                if (bucket.work) bucket.stale = true;
                return;
            }
            seen_[i] = 1;
            --bucket.pending;
            while (next_ < buckets_.size() && buckets_[next_].pending == 0) launch(buckets_[next_++]);
        } catch (...) {
            error_ = std::current_exception();
        }
    }

    int64_t launched() {
        std::lock_guard<std::mutex> lock(mutex_);
        return static_cast<int64_t>(next_);
    }

    void finish() {
        std::lock_guard<std::mutex> lock(mutex_);
        at::NoGradGuard no_grad;
        try {
            if (error_) std::rethrow_exception(error_);
            while (next_ < buckets_.size()) launch(buckets_[next_++]);
            for (auto& bucket : buckets_) {
                bucket.work->wait();
                if (bucket.stale) {
                    launch(bucket);
                    bucket.work->wait();
                }
                if (average_) bucket.flat.div_(group_->getSize());
                for (size_t i = bucket.begin; i < bucket.end; ++i) {
                    auto& grad = params_[i].mutable_grad();
                    if (grad.defined()) grad.copy_(view(bucket, i).view(grad.sizes()));
                }
            }
        } catch (...) {
            reset();
            throw;
        }
        reset();
    }

private:
    struct Bucket {
        size_t begin, end;
        std::vector<int64_t> offsets;
        at::Tensor flat;
        size_t pending = 0;
        bool stale = false;
        c10::intrusive_ptr<c10d::Work> work;
    };

    at::Tensor view(Bucket& bucket, size_t i) {
        return bucket.flat.narrow(0, bucket.offsets[i - bucket.begin], params_[i].numel());
    }

    void launch(Bucket& bucket) {
        at::NoGradGuard no_grad;
        for (size_t i = bucket.begin; i < bucket.end; ++i) {
            const auto& grad = params_[i].grad();
            auto slot = view(bucket, i);
            if (grad.defined()) slot.view(grad.sizes()).copy_(grad);
            else slot.zero_();
        }
        bucket.stale = false;
        std::vector<at::Tensor> list{bucket.flat};
        c10d::AllreduceOptions opts;
        opts.reduceOp = c10d::ReduceOp::SUM;
        bucket.work = group_->allreduce(list, opts);
    }

    void reset() {
        std::fill(seen_.begin(), seen_.end(), 0);
        for (auto& bucket : buckets_) {
            bucket.pending = bucket.end - bucket.begin;
            bucket.stale = false;
            bucket.work.reset();
        }
        next_ = 0;
        error_ = nullptr;
    }

    PgPtr group_;
    std::vector<at::Tensor> params_;
    bool average_;
    std::vector<char> seen_;
    std::vector<size_t> bucket_of_;
    std::vector<Bucket> buckets_;
    size_t next_ = 0;
    std::exception_ptr error_;
    std::mutex mutex_;
};

class GradReady final : public torch::autograd::FunctionPostHook {
public:
    GradReady(std::weak_ptr<Reducer> reducer, size_t index) : reducer_(std::move(reducer)), index_(index) {}

    torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                              const torch::autograd::variable_list& inputs) override {
        if (auto reducer = reducer_.lock()) reducer->ready(index_);
        return outputs;
    }

private:
    std::weak_ptr<Reducer> reducer_;
    size_t index_;
};

// What a C# handle owns: the reducer and the hooks it installed (removed on dispose).
struct ReducerHandle {
    std::shared_ptr<Reducer> reducer;
    std::vector<std::pair<std::shared_ptr<torch::autograd::Node>, uintptr_t>> hooks;
};

}  // namespace

SLM_API void* SlmReducer_create(void* group, THandle* params, int64_t n, const int64_t* bucket_ends, int64_t n_buckets, int average) {
    SLM_TRY
    auto handle = std::make_unique<ReducerHandle>();
    handle->reducer = std::make_shared<Reducer>(*static_cast<PgPtr*>(group), slm::tensors(params, n), bucket_ends, n_buckets, average != 0);
    const auto& ps = handle->reducer->params();
    for (size_t i = 0; i < ps.size(); ++i) {
        if (!ps[i].requires_grad()) continue;  // never gets a gradient: counts as zeros, reduced in finish
        auto accumulator = torch::autograd::impl::grad_accumulator(ps[i]);
        if (!accumulator) continue;  // not a leaf: no accumulator to hook, reduced in finish
        auto key = accumulator->add_post_hook(std::make_unique<GradReady>(handle->reducer, i));
        handle->hooks.emplace_back(std::move(accumulator), key);
    }
    return handle.release();
    SLM_CATCH(nullptr)
}

SLM_API int SlmReducer_finish(void* reducer) {
    SLM_STATUS_BEGIN
    static_cast<ReducerHandle*>(reducer)->reducer->finish();
    SLM_STATUS_END
}

SLM_API int64_t SlmReducer_launched(void* reducer) {
    return static_cast<ReducerHandle*>(reducer)->reducer->launched();
}

SLM_API void SlmReducer_dispose(void* reducer) {
    try {
        auto* handle = static_cast<ReducerHandle*>(reducer);
        for (auto& [accumulator, key] : handle->hooks) accumulator->del_post_hook(key);
        delete handle;
    } catch (...) {}
}

#else

SLM_API void* SlmReducer_create(void*, THandle*, int64_t, const int64_t*, int64_t, int) {
    SLM_TRY throw std::runtime_error("this SlmOps native library was built against a libtorch without torch.distributed (c10d) headers");
    SLM_CATCH(nullptr)
}
SLM_API int SlmReducer_finish(void*) { return -1; }
SLM_API int64_t SlmReducer_launched(void*) { return 0; }
SLM_API void SlmReducer_dispose(void*) {}

#endif
