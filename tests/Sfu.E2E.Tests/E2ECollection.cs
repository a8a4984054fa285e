namespace Sfu.E2E.Tests;

/// <summary>All end-to-end tests share one server and one browser and run one at a time: the
/// machine has two cores, and media timing assertions need them.</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<SfuServerFixture>, ICollectionFixture<ChromiumFixture>
{
    public const string Name = "e2e";
}
