namespace Sfu.Service.Configuration;

/// <summary>The loaded configuration plus one line per thing the operator should look at (unknown keys, missing files).</summary>
public sealed record SfuConfigLoadResult(SfuConfig Config, IReadOnlyList<string> Warnings);
