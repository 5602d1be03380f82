namespace SlmOps.Torch.Tests;
