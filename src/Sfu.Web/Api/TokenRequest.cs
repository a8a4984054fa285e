namespace Sfu.Web.Api;

/// <summary>POST /api/tokens body.</summary>
/// <param name="Room">Room id the token admits to, or "*" for every room.</param>
/// <param name="Name">Participant name the token carries (it replaces the name a client joins with); up to 100 characters.</param>
/// <param name="Permissions">Any of publish, subscribe, admin; publish and subscribe when absent.</param>
/// <param name="TtlSeconds">Lifetime, 1..86400 seconds; 3600 when absent.</param>
public sealed record TokenRequest(string? Room, string? Name, IReadOnlyList<string>? Permissions, int? TtlSeconds);
