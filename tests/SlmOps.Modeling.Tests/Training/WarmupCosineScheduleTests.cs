using SlmOps.Modeling.Training;

namespace SlmOps.Modeling.Tests.Training;

public class WarmupCosineScheduleTests
{
    private readonly WarmupCosineSchedule _s = new(BaseLearningRate: 1e-3, MinLearningRate: 1e-4, WarmupSteps: 10, TotalSteps: 110);

    [Fact]
    public void Warmup_rises_linearly_to_the_base_rate()
    {
        Assert.Equal(1e-4, _s.At(0), 12);
        Assert.Equal(5e-4, _s.At(4), 12);
        Assert.Equal(1e-3, _s.At(9), 12);
    }

    [Fact]
    public void Cosine_decays_to_the_minimum_through_the_midpoint()
    {
        Assert.Equal(1e-3, _s.At(10), 12);
        Assert.Equal(5.5e-4, _s.At(60), 12); // half way: (base + min) / 2
        Assert.Equal(1e-4, _s.At(110), 12);
        Assert.Equal(1e-4, _s.At(500), 12);
        for (var step = 10; step < 110; step++) Assert.True(_s.At(step + 1) <= _s.At(step));
    }
}
