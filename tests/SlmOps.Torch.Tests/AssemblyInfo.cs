// libtorch's CPU generator is process-global: any test that builds a module or draws random numbers moves it,
// so seeded-draw parity cases (rand, randn, multinomial, dropout) are only reproducible when no other test runs
// at the same time. The whole assembly runs serially; it takes seconds.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SlmOps.Torch.Tests;
