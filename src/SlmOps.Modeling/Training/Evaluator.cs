using SlmOps.Modeling.Data;
using SlmOps.Torch;

namespace SlmOps.Modeling.Training;

public static class Evaluator
{
    /// <summary>
    /// Token-weighted mean loss over the first <paramref name="maxBatches"/> sequential blocks of
    /// <paramref name="tokens"/>, in eval mode under no_grad (training mode is restored afterwards).
    /// </summary>
    public static double MeanLoss(ITrainingObjective objective, int[] tokens, int batchSize, int blockSize, int maxBatches, Device device)
    {
        var wasTraining = objective.Trainable.training;
        objective.Trainable.eval();
        try
        {
            using var _ = torch.no_grad();
            double total = 0;
            long count = 0;
            foreach (var batch in BatchSampler.Sequential(tokens, batchSize, blockSize, maxBatches))
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = Trainer.ToTensors(batch, device);
                var loss = objective.Loss(x, y).item<float>();
                total += loss * batch.X.Length;
                count += batch.X.Length;
            }
            if (count == 0) throw new ArgumentException($"{tokens.Length} validation tokens cannot fill one block of {blockSize}.");
            return total / count;
        }
        finally
        {
            objective.Trainable.train(wasTraining);
        }
    }
}
