using Akka.Cluster.Sharding;

namespace Sfu.Actors.Rooms;

/// <summary>Routes <see cref="IWithRoomId"/> messages to the room entity of that id.</summary>
public sealed class RoomMessageExtractor(int maxShards = 100) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithRoomId m => m.RoomId,
        _ => null,
    };
}
