namespace Sfu.Web.Api;

/// <summary>Limits the room REST API applies (from <c>rooms:</c> in the server configuration).</summary>
public sealed record ApiOptions
{
    /// <summary>Rooms this node holds; creating more answers 503 server-full.</summary>
    public int MaxRooms { get; init; } = 1000;
    /// <summary>Upper bound (and default) of a room's <c>maxParticipants</c>.</summary>
    public int MaxParticipants { get; init; } = 100;
    /// <summary>Largest request body; bigger ones answer 413.</summary>
    public long MaxBodyBytes { get; init; } = 64 * 1024;
    public int MaxNameLength { get; init; } = 100;
    /// <summary>Longest token lifetime POST /api/tokens issues.</summary>
    public TimeSpan MaxTokenLifetime { get; init; } = TimeSpan.FromDays(1);
    public TimeSpan DefaultTokenLifetime { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Stats ask every participant in turn (each up to 2 s), so they get longer.</summary>
    public TimeSpan StatsTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
