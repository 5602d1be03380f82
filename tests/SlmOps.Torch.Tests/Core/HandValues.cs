namespace SlmOps.Torch.Tests.Core;

/// <summary>Compares a tensor with values worked out by hand in a test.</summary>
internal static class HandValues
{
    public static void AssertClose(float[] expected, Tensor actual, float tolerance = 1e-5f)
    {
        var values = actual.ToArray<float>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == values[i] || Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }
}
