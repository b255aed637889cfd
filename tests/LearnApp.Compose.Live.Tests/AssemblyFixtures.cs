[assembly: AssemblyFixture(typeof(LearnApp.Compose.Live.Tests.LiveImages))]

// One Docker engine and one machine: the stacks run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
