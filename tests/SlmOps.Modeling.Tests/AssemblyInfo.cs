// libtorch's CPU generator is process-global: tests that seed it and expect exact sequences
// (checkpoint resume) would race with other test classes drawing random numbers in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SlmOps.Modeling.Tests;
