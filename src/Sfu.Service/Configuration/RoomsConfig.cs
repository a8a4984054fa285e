namespace Sfu.Service.Configuration;

/// <summary><c>rooms:</c> how many rooms and participants a node accepts and when empty rooms close.</summary>
public sealed record RoomsConfig(int MaxRooms, int MaxParticipants, bool AutoCreate, TimeSpan IdleTimeout)
{
    public static readonly RoomsConfig Default = new(1000, 100, true, TimeSpan.FromSeconds(300));
}
