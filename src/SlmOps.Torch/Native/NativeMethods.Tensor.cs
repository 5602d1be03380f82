using System.Runtime.InteropServices;

namespace SlmOps.Torch.Native;

// native/tensor.cpp: lifetime, creation, metadata, conversion, host copies.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial void SlmTensor_dispose(IntPtr self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_from_data(void* data, int srcDtype, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_zeros(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_ones(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_randn(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_rand(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_full(long* shape, int ndim, double value, int isIntegral, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_randint(long low, long high, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_eye(long n, long m, int dtype, int deviceType, int deviceIndex, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_ndim(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial long SlmTensor_numel(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_dtype(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_device_type(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_device_index(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_requires_grad(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_is_leaf(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial void SlmTensor_shape(TensorHandle self, long* output);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_set_requires_grad(TensorHandle self, int value);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_to_dtype(TensorHandle self, int dtype);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_to_device(TensorHandle self, int deviceType, int deviceIndex);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_clone(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_detach(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_contiguous(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial TensorHandle SlmTensor_alias(TensorHandle self);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_copy_to_host(TensorHandle self, void* destination, long count, int dtype);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_copy_from_host(TensorHandle self, void* source, long offset, long count, int dtype);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_item_double(TensorHandle self, double* output);

    [LibraryImport(Library)]
    internal static partial int SlmTensor_item_long(TensorHandle self, long* output);
}
