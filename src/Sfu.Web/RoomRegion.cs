namespace Sfu.Web;

/// <summary>Registry key for the room shard region (Akka.Hosting's ActorRegistry).</summary>
public sealed class RoomRegion;
