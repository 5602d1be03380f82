namespace SlmOps.Modeling.Training;

/// <summary>
/// Linear warmup from base/warmup to base over <c>WarmupSteps</c>, then a half-cosine down to
/// <c>MinLearningRate</c> at <c>TotalSteps</c>, flat after. Step numbers count from 0.
/// </summary>
public sealed record WarmupCosineSchedule(double BaseLearningRate, double MinLearningRate, int WarmupSteps, int TotalSteps)
{
    public double At(long step)
    {
        if (step < WarmupSteps) return BaseLearningRate * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        return MinLearningRate + 0.5 * (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }
}
