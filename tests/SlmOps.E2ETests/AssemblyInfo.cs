// One browser scenario drives a training worker process; on 2 cores nothing else should compete with it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
