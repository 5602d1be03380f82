// Each class starts a training worker process; on 2 cores they would only slow each other down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
