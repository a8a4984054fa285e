namespace Sfu.Web.Security;

/// <summary>
/// <c>security:</c> settings the REST API and the signaling gate enforce (copied from the server configuration,
/// which this assembly does not reference).
/// </summary>
public sealed record SecurityOptions
{
    public bool RequireAuth { get; init; }
    public string AuthTokenHeader { get; init; } = "X-Auth-Token";
    /// <summary>HS256 key; empty = tokens can be neither issued nor accepted.</summary>
    public string JwtSecret { get; init; } = "";
    /// <summary>A raw shared secret accepted wherever an admin token is; empty = none.</summary>
    public string AdminToken { get; init; } = "";
    public RateLimitOptions RateLimit { get; init; } = new();

    public override string ToString() =>
        $"RequireAuth = {RequireAuth}, AuthTokenHeader = {AuthTokenHeader}, JwtSecret = {(JwtSecret.Length == 0 ? "" : "***")}, " +
        $"AdminToken = {(AdminToken.Length == 0 ? "" : "***")}, RateLimit = {RateLimit}";
}

/// <summary><c>security.rate_limit:</c> per client IP address.</summary>
public sealed record RateLimitOptions
{
    public bool Enabled { get; init; } = true;
    public int RequestsPerMinute { get; init; } = 120;
    /// <summary>Rooms one address may create per <see cref="RoomCreationWindow"/>.</summary>
    public int MaxRoomsPerIp { get; init; } = 10;
    public TimeSpan RoomCreationWindow { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Signaling connections with a joined participant from one address at a time.</summary>
    public int MaxParticipantsPerIp { get; init; } = 50;
}
