using System.Text;
using System.Text.Json.Serialization;

namespace Sfu.Service.Configuration;

/// <summary>
/// <c>security:</c> authentication, rate limits and per-connection message limits. The secrets are
/// left out of <c>ToString()</c> and of JSON, so printing or serving the configuration cannot leak them.
/// </summary>
public sealed record SecurityConfig(
    bool RequireAuth,
    string AuthTokenHeader,
    [property: JsonIgnore] string JwtSecret,
    [property: JsonIgnore] string AdminToken,
    RateLimitConfig RateLimit,
    MessageLimitsConfig Limits)
{
    public static readonly SecurityConfig Default =
        new(false, "X-Auth-Token", "", "", RateLimitConfig.Default, MessageLimitsConfig.Default);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"RequireAuth = {RequireAuth}, AuthTokenHeader = {AuthTokenHeader}, ");
        builder.Append($"JwtSecret = {(JwtSecret.Length == 0 ? "" : "***")}, AdminToken = {(AdminToken.Length == 0 ? "" : "***")}, ");
        builder.Append($"RateLimit = {RateLimit}, Limits = {Limits}");
        return true;
    }
}

/// <summary><c>security.rate_limit:</c> per client IP address.</summary>
public sealed record RateLimitConfig(bool Enabled, int MaxRoomsPerIp, int MaxParticipantsPerIp, int RequestsPerMinute)
{
    public static readonly RateLimitConfig Default = new(true, 10, 50, 120);
}

/// <summary><c>security.limits:</c> what one signaling connection may send.</summary>
public sealed record MessageLimitsConfig(int MaxMessageBytes, int MaxMessagesPerSecond, int MaxSdpBytes, int MaxTracksPerParticipant)
{
    public static readonly MessageLimitsConfig Default = new(65536, 50, 65536, 16);
}
