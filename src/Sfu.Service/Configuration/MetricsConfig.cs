namespace Sfu.Service.Configuration;

/// <summary><c>metrics:</c> the Prometheus scrape endpoint, on its own port so it is never exposed with signaling.</summary>
public sealed record MetricsConfig(int Port)
{
    public static readonly MetricsConfig Default = new(9090);

    /// <summary>Port 0 turns the metrics listener off.</summary>
    public bool Enabled => Port > 0;
}
