namespace Sfu.Web.Api;

/// <summary>An issued token and what it grants.</summary>
public sealed record TokenResponse(string Token, string Room, string Name, IReadOnlyList<string> Permissions, DateTimeOffset ExpiresAt);
