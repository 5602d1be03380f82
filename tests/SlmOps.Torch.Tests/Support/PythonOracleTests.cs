namespace SlmOps.Torch.Tests.Support;

/// <summary>The parity tests may skip on a developer box without python3-torch, never in CI.</summary>
public sealed class PythonOracleTests
{
    private const string Absent = "/usr/bin/python3 is not installed";

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("True ")]
    public void Under_ci_a_missing_oracle_is_not_a_reason_to_skip(string ci) =>
        Assert.Null(PythonOracle.SkipReasonFor(Absent, ci));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    public void Outside_ci_a_missing_oracle_skips_with_the_reason(string? ci) =>
        Assert.Equal(Absent, PythonOracle.SkipReasonFor(Absent, ci));

    [Fact]
    public void A_usable_oracle_never_skips() => Assert.Null(PythonOracle.SkipReasonFor(null, null));
}
