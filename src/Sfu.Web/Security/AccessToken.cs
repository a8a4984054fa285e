namespace Sfu.Web.Security;

/// <summary>
/// What a valid token grants: a room (or <see cref="AnyRoom"/>), the holder's display name, its permissions and
/// when it stops being valid.
/// </summary>
public sealed record AccessToken(string Room, string Name, IReadOnlyList<string> Permissions, DateTimeOffset Expires)
{
    public const string AnyRoom = "*";

    public bool Allows(string permission) => Permissions.Contains(permission, StringComparer.Ordinal);

    public bool CoversRoom(string roomId) => Room == AnyRoom || string.Equals(Room, roomId, StringComparison.Ordinal);

    /// <summary>The raw admin token from configuration: every room, every permission.</summary>
    public static AccessToken AdminKey(DateTimeOffset now) => new(AnyRoom, "", Security.Permissions.All, now.AddYears(100));
}
