using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch;

// Elementwise arithmetic, comparisons and activations. Scalar overloads come in double and long
// so that an integer tensor times an integer stays integral, as in PyTorch.
public sealed partial class Tensor
{
    public Tensor add(Tensor other) => From(N.SlmTensor_add(Handle, other.Handle));

    public Tensor add(double value) => From(N.SlmTensor_add_scalar(Handle, value, 0));

    public Tensor add(long value) => From(N.SlmTensor_add_scalar(Handle, value, 1));

    public Tensor sub(Tensor other) => From(N.SlmTensor_sub(Handle, other.Handle));

    public Tensor sub(double value) => From(N.SlmTensor_sub_scalar(Handle, value, 0));

    public Tensor sub(long value) => From(N.SlmTensor_sub_scalar(Handle, value, 1));

    public Tensor mul(Tensor other) => From(N.SlmTensor_mul(Handle, other.Handle));

    public Tensor mul(double value) => From(N.SlmTensor_mul_scalar(Handle, value, 0));

    public Tensor mul(long value) => From(N.SlmTensor_mul_scalar(Handle, value, 1));

    public Tensor div(Tensor other) => From(N.SlmTensor_div(Handle, other.Handle));

    public Tensor div(double value) => From(N.SlmTensor_div_scalar(Handle, value, 0));

    public Tensor div(long value) => From(N.SlmTensor_div_scalar(Handle, value, 1));

    public Tensor pow(Tensor exponent) => From(N.SlmTensor_pow(Handle, exponent.Handle));

    public Tensor pow(double exponent) => From(N.SlmTensor_pow_scalar(Handle, exponent, 0));

    public Tensor matmul(Tensor other) => From(N.SlmTensor_matmul(Handle, other.Handle));

    /// <summary>Batched (B, n, m) @ (B, m, p) → (B, n, p); one row per batch (n = 1, a decode step) streams each matrix once.</summary>
    public Tensor bmm(Tensor other) => From(N.SlmTensor_bmm(Handle, other.Handle));

    public Tensor maximum(Tensor other) => From(N.SlmTensor_maximum(Handle, other.Handle));

    public Tensor minimum(Tensor other) => From(N.SlmTensor_minimum(Handle, other.Handle));

    public Tensor neg() => From(N.SlmTensor_neg(Handle));

    public Tensor sqrt() => From(N.SlmTensor_sqrt(Handle));

    public Tensor rsqrt() => From(N.SlmTensor_rsqrt(Handle));

    public Tensor exp() => From(N.SlmTensor_exp(Handle));

    public Tensor log() => From(N.SlmTensor_log(Handle));

    public Tensor sin() => From(N.SlmTensor_sin(Handle));

    public Tensor cos() => From(N.SlmTensor_cos(Handle));

    public Tensor tanh() => From(N.SlmTensor_tanh(Handle));

    public Tensor relu() => From(N.SlmTensor_relu(Handle));

    /// <summary>GELU; <paramref name="approximate"/> is "none" (exact erf form) or "tanh".</summary>
    public Tensor gelu(string approximate = "none") => approximate switch
    {
        "none" => From(N.SlmTensor_gelu(Handle, 0)),
        "tanh" => From(N.SlmTensor_gelu(Handle, 1)),
        _ => throw new ArgumentException($"approximate must be 'none' or 'tanh', not '{approximate}'", nameof(approximate)),
    };

    public Tensor sigmoid() => From(N.SlmTensor_sigmoid(Handle));

    public Tensor abs() => From(N.SlmTensor_abs(Handle));

    public Tensor clamp(double? min = null, double? max = null) =>
        From(N.SlmTensor_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));

    public Tensor eq(Tensor other) => From(N.SlmTensor_eq(Handle, other.Handle));

    public Tensor eq(double value) => From(N.SlmTensor_eq_scalar(Handle, value, 0));

    public Tensor ne(Tensor other) => From(N.SlmTensor_ne(Handle, other.Handle));

    public Tensor ne(double value) => From(N.SlmTensor_ne_scalar(Handle, value, 0));

    public Tensor lt(Tensor other) => From(N.SlmTensor_lt(Handle, other.Handle));

    public Tensor lt(double value) => From(N.SlmTensor_lt_scalar(Handle, value, 0));

    public Tensor le(Tensor other) => From(N.SlmTensor_le(Handle, other.Handle));

    public Tensor le(double value) => From(N.SlmTensor_le_scalar(Handle, value, 0));

    public Tensor gt(Tensor other) => From(N.SlmTensor_gt(Handle, other.Handle));

    public Tensor gt(double value) => From(N.SlmTensor_gt_scalar(Handle, value, 0));

    public Tensor ge(Tensor other) => From(N.SlmTensor_ge(Handle, other.Handle));

    public Tensor ge(double value) => From(N.SlmTensor_ge_scalar(Handle, value, 0));

    public Tensor logical_not() => From(N.SlmTensor_logical_not(Handle));

    public Tensor logical_and(Tensor other) => From(N.SlmTensor_logical_and(Handle, other.Handle));

    public Tensor logical_or(Tensor other) => From(N.SlmTensor_logical_or(Handle, other.Handle));

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);

    public static Tensor operator +(Tensor a, double b) => a.add(b);

    public static Tensor operator +(double a, Tensor b) => b.add(a);

    public static Tensor operator +(Tensor a, long b) => a.add(b);

    public static Tensor operator +(long a, Tensor b) => b.add(a);

    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);

    public static Tensor operator -(Tensor a, double b) => a.sub(b);

    public static Tensor operator -(double a, Tensor b) => From(N.SlmTensor_rsub_scalar(b.Handle, a, 0));

    public static Tensor operator -(Tensor a, long b) => a.sub(b);

    public static Tensor operator -(long a, Tensor b) => From(N.SlmTensor_rsub_scalar(b.Handle, a, 1));

    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);

    public static Tensor operator *(Tensor a, double b) => a.mul(b);

    public static Tensor operator *(double a, Tensor b) => b.mul(a);

    public static Tensor operator *(Tensor a, long b) => a.mul(b);

    public static Tensor operator *(long a, Tensor b) => b.mul(a);

    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);

    public static Tensor operator /(Tensor a, double b) => a.div(b);

    public static Tensor operator /(double a, Tensor b) => From(N.SlmTensor_rdiv_scalar(b.Handle, a, 0));

    public static Tensor operator /(Tensor a, long b) => a.div(b);

    public static Tensor operator /(long a, Tensor b) => From(N.SlmTensor_rdiv_scalar(b.Handle, a, 0));

    public static Tensor operator -(Tensor a) => a.neg();
}
