using System.Text.Json;
using Sfu.Actors.Signaling;

namespace Sfu.Service.Tests.Signaling;

public class ServerMessageJsonTests
{
    [Fact]
    public void Track_paused_and_resumed_carry_the_type_and_track_id()
    {
        var paused = JsonDocument.Parse(new TrackPaused("TR_1").ToJson()).RootElement;
        Assert.Equal("track-paused", paused.GetProperty("type").GetString());
        Assert.Equal("TR_1", paused.GetProperty("trackId").GetString());
        var resumed = JsonDocument.Parse(new TrackResumed("TR_1").ToJson()).RootElement;
        Assert.Equal("track-resumed", resumed.GetProperty("type").GetString());
        Assert.Equal("TR_1", resumed.GetProperty("trackId").GetString());
    }
}
