// Tensor lifetime, creation, metadata, conversion and copies to/from host memory.
#include "shim.h"

namespace {
thread_local std::string last_error;
}

namespace slm {

void set_error(const char* message) { last_error = message ? message : "(no message)"; }

at::Device make_device(int type, int index) {
    auto device_type = static_cast<c10::DeviceType>(type);
    if (device_type == at::kCUDA && cuda_device_count() == 0) {
        throw std::runtime_error(
            "CUDA is not available on this machine (requested cuda:" + std::to_string(index < 0 ? 0 : index) +
            "); this libtorch build or this machine has no CUDA device. Use the cpu device instead.");
    }
    if (device_type == at::kCUDA && index >= 0) {
        int64_t count = cuda_device_count();
        if (index >= count) {
            throw std::runtime_error("CUDA device cuda:" + std::to_string(index) + " does not exist; this machine has " +
                                     std::to_string(count) + " CUDA device(s).");
        }
    }
    return at::Device(device_type, static_cast<c10::DeviceIndex>(index));
}

at::TensorOptions options(int dtype, int device_type, int device_index) {
    return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)).device(make_device(device_type, device_index));
}

}  // namespace slm

SLM_API const char* SlmErr_last() { return last_error.c_str(); }

SLM_API void SlmTensor_dispose(THandle self) { delete self; }

// ---- creation -------------------------------------------------------------------------------

SLM_API THandle SlmTensor_from_data(const void* data, int src_dtype, const int64_t* shape, int ndim, int dtype,
                                    int device_type, int device_index, int requires_grad) {
    SLM_TRY
    auto src = at::from_blob(const_cast<void*>(data), slm::dims(shape, ndim),
                             at::TensorOptions().dtype(static_cast<at::ScalarType>(src_dtype)));
    // copy=true: the managed buffer is pinned only for the duration of this call.
    return slm::leaf(src.to(slm::options(dtype, device_type, device_index), false, true), requires_grad);
    SLM_CATCH(nullptr)
}

#define SLM_FACTORY(name, call)                                                                       \
    SLM_API THandle SlmTensor_##name(const int64_t* shape, int ndim, int dtype, int device_type,     \
                                     int device_index, int requires_grad) {                          \
        SLM_TRY auto opts = slm::options(dtype, device_type, device_index);                          \
        auto size = slm::dims(shape, ndim);                                                           \
        return slm::leaf(call, requires_grad);                                                        \
        SLM_CATCH(nullptr)                                                                            \
    }

SLM_FACTORY(zeros, at::zeros(size, opts))
SLM_FACTORY(ones, at::ones(size, opts))
SLM_FACTORY(empty, at::empty(size, opts))
SLM_FACTORY(randn, at::randn(size, opts))
SLM_FACTORY(rand, at::rand(size, opts))

SLM_API THandle SlmTensor_full(const int64_t* shape, int ndim, double value, int is_integral, int dtype,
                               int device_type, int device_index, int requires_grad) {
    SLM_TRY
    return slm::leaf(at::full(slm::dims(shape, ndim), slm::scalar(value, is_integral),
                              slm::options(dtype, device_type, device_index)), requires_grad);
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmTensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype,
                                  int device_type, int device_index) {
    SLM_TRY
    return slm::wrap(at::randint(low, high, slm::dims(shape, ndim), slm::options(dtype, device_type, device_index)));
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmTensor_arange(double start, double end, double step, int dtype, int device_type,
                                 int device_index, int requires_grad) {
    SLM_TRY
    return slm::leaf(at::arange(start, end, step, slm::options(dtype, device_type, device_index)), requires_grad);
    SLM_CATCH(nullptr)
}

SLM_API THandle SlmTensor_eye(int64_t n, int64_t m, int dtype, int device_type, int device_index, int requires_grad) {
    SLM_TRY
    return slm::leaf(at::eye(n, m, slm::options(dtype, device_type, device_index)), requires_grad);
    SLM_CATCH(nullptr)
}

// ---- metadata -------------------------------------------------------------------------------

SLM_API int SlmTensor_ndim(THandle self) { return static_cast<int>(self->dim()); }
SLM_API int64_t SlmTensor_numel(THandle self) { return self->numel(); }
SLM_API int SlmTensor_dtype(THandle self) { return static_cast<int>(self->scalar_type()); }
SLM_API int SlmTensor_device_type(THandle self) { return static_cast<int>(self->device().type()); }
SLM_API int SlmTensor_device_index(THandle self) { return self->device().index(); }
SLM_API int SlmTensor_requires_grad(THandle self) { return self->requires_grad() ? 1 : 0; }
SLM_API int SlmTensor_is_leaf(THandle self) { return self->is_leaf() ? 1 : 0; }

SLM_API void SlmTensor_shape(THandle self, int64_t* out) {
    auto sizes = self->sizes();
    std::memcpy(out, sizes.data(), sizes.size() * sizeof(int64_t));
}

SLM_API int SlmTensor_set_requires_grad(THandle self, int value) {
    SLM_STATUS_BEGIN
    self->set_requires_grad(value != 0);
    SLM_STATUS_END
}

// ---- conversion -----------------------------------------------------------------------------

SLM_API THandle SlmTensor_to_dtype(THandle self, int dtype) {
    SLM_TRY return slm::wrap(self->to(static_cast<at::ScalarType>(dtype))); SLM_CATCH(nullptr)
}

SLM_API THandle SlmTensor_to_device(THandle self, int device_type, int device_index) {
    SLM_TRY return slm::wrap(self->to(slm::make_device(device_type, device_index))); SLM_CATCH(nullptr)
}

SLM_UNARY(clone, t.clone())
SLM_UNARY(detach, t.detach())
SLM_UNARY(contiguous, t.contiguous())
SLM_UNARY(alias, t)

// Copies the tensor (any device, any dtype) into `dst` as `dtype`, element count checked.
SLM_API int SlmTensor_copy_to_host(THandle self, void* dst, int64_t count, int dtype) {
    SLM_STATUS_BEGIN
    auto host = self->detach().to(at::kCPU, static_cast<at::ScalarType>(dtype)).contiguous();
    if (host.numel() != count) {
        throw std::runtime_error("destination holds " + std::to_string(count) + " elements but the tensor has " +
                                 std::to_string(host.numel()));
    }
    std::memcpy(dst, host.data_ptr(), static_cast<size_t>(count) * host.element_size());
    SLM_STATUS_END
}

// Writes `count` host values of `dtype` into elements [offset, offset + count) of a contiguous tensor (any device),
// in place and outside autograd: the load path fills parameters straight from file chunks, with no staging tensor.
SLM_API int SlmTensor_copy_from_host(THandle self, const void* src, int64_t offset, int64_t count, int dtype) {
    SLM_STATUS_BEGIN
    if (!self->is_contiguous()) {
        throw std::runtime_error("copying host values into a tensor needs a contiguous tensor");
    }
    if (offset < 0 || count < 0 || offset + count > self->numel()) {
        throw std::runtime_error("elements [" + std::to_string(offset) + ", " + std::to_string(offset + count) +
                                 ") are outside a tensor of " + std::to_string(self->numel()) + " elements");
    }
    at::NoGradGuard no_grad;
    auto source = at::from_blob(const_cast<void*>(src), {count}, at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    self->detach().view({-1}).narrow(0, offset, count).copy_(source);
    SLM_STATUS_END
}

SLM_API int SlmTensor_item_double(THandle self, double* out) {
    SLM_STATUS_BEGIN *out = self->item().toDouble(); SLM_STATUS_END
}

SLM_API int SlmTensor_item_long(THandle self, int64_t* out) {
    SLM_STATUS_BEGIN *out = self->item().toLong(); SLM_STATUS_END
}
