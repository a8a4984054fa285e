using System.Text;
using Sfu.Actors.Signaling;
using Sfu.Web.Signaling;

namespace Sfu.Service.Tests.Signaling;

public class SignalingParserTests
{
    private static ClientCommand Parse(string json) => SignalingParser.Parse(Encoding.UTF8.GetBytes(json), 65536);

    [Fact]
    public void Join_from_the_original_api_example()
    {
        var c = Assert.IsType<JoinCommand>(Parse("""{"type":"join","roomId":"room-123","participantName":"John Doe"}"""));
        Assert.Equal("room-123", c.RoomId);
        Assert.Equal("John Doe", c.ParticipantName);
    }

    [Fact]
    public void Offer_without_target_is_for_the_publisher_connection()
    {
        var c = Assert.IsType<ParticipantCommand>(Parse("""{"type":"offer","roomId":"r","sdp":"v=0"}"""));
        var offer = Assert.IsType<ClientOffer>(c.Message);
        Assert.Equal(Targets.Publisher, offer.Target);
    }

    [Fact]
    public void Answer_without_target_means_publisher_as_the_protocol_says()
    {
        var c = Assert.IsType<ParticipantCommand>(Parse("""{"type":"answer","sdp":"v=0"}"""));
        Assert.Equal(Targets.Publisher, Assert.IsType<ClientAnswer>(c.Message).Target);
    }

    [Fact]
    public void Ice_candidate_is_read_with_its_fields()
    {
        var c = Assert.IsType<ParticipantCommand>(Parse("""{"type":"ice-candidate","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMLineIndex":0,"sdpMid":"0"},"target":"subscriber"}"""));
        var ice = Assert.IsType<ClientIceCandidate>(c.Message);
        Assert.Equal("0", ice.Candidate!.SdpMid);
        Assert.Equal(0, ice.Candidate.SdpMLineIndex);
        Assert.Equal(Targets.Subscriber, ice.Target);
    }

    [Theory]
    [InlineData("{not json", ErrorCodes.InvalidJson)]
    [InlineData("[1,2]", ErrorCodes.InvalidMessage)]
    [InlineData("""{"roomId":"x"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":42}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"teleport"}""", ErrorCodes.UnknownType)]
    [InlineData("""{"type":"join"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"join","roomId":"../etc"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"offer","roomId":"r"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"offer","sdp":"v=0","target":"sideways"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"mute"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"update-quality"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"update-quality","quality":"ultra"}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"update-quality","quality":"low","trackId":7}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"video-size","width":320,"height":240}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"video-size","trackId":"t","width":-1,"height":240}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"video-size","trackId":"t","width":320.5,"height":240}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"video-size","trackId":"t","width":320,"height":99999}""", ErrorCodes.InvalidMessage)]
    [InlineData("""{"type":"start-screen-share","roomId":"r"}""", ErrorCodes.InvalidMessage)]
    public void Bad_messages_become_errors_with_a_code(string json, string code)
    {
        var c = Assert.IsType<InvalidCommand>(Parse(json));
        Assert.Equal(code, c.Code);
        Assert.False(string.IsNullOrWhiteSpace(c.Message));
    }

    [Theory]
    [InlineData("low", Sfu.Streams.Bandwidth.QualityRequest.Low)]
    [InlineData("medium", Sfu.Streams.Bandwidth.QualityRequest.Medium)]
    [InlineData("high", Sfu.Streams.Bandwidth.QualityRequest.High)]
    [InlineData("auto", Sfu.Streams.Bandwidth.QualityRequest.Auto)]
    public void Update_quality_for_all_video_or_one_track(string quality, Sfu.Streams.Bandwidth.QualityRequest expected)
    {
        var all = Assert.IsType<ClientUpdateQuality>(Assert.IsType<ParticipantCommand>(Parse($$"""{"type":"update-quality","roomId":"r","quality":"{{quality}}"}""")).Message);
        Assert.Equal(new ClientUpdateQuality(expected, null), all);
        var one = Assert.IsType<ClientUpdateQuality>(Assert.IsType<ParticipantCommand>(Parse($$"""{"type":"update-quality","quality":"{{quality}}","trackId":"TR_1"}""")).Message);
        Assert.Equal(new ClientUpdateQuality(expected, "TR_1"), one);
    }

    [Fact]
    public void Video_size_and_screen_share_messages()
    {
        Assert.Equal(new ClientVideoSize("TR_1", 640, 360),
            Assert.IsType<ParticipantCommand>(Parse("""{"type":"video-size","trackId":"TR_1","width":640,"height":360}""")).Message);
        Assert.Equal(new ClientScreenShare("v=0", true),
            Assert.IsType<ParticipantCommand>(Parse("""{"type":"start-screen-share","roomId":"r","sdp":"v=0"}""")).Message);
        Assert.Equal(new ClientScreenShare("v=0", false),
            Assert.IsType<ParticipantCommand>(Parse("""{"type":"stop-screen-share","roomId":"r","sdp":"v=0"}""")).Message);
    }

    [Fact]
    public void Oversized_sdp_is_refused()
    {
        var sdp = new string('a', 70_000);
        var c = Assert.IsType<InvalidCommand>(SignalingParser.Parse(Encoding.UTF8.GetBytes($$"""{"type":"offer","sdp":"{{sdp}}"}"""), 65536));
        Assert.Equal(ErrorCodes.InvalidSdp, c.Code);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(1234);
        var samples = new[] { """{"type":"join","roomId":"a","participantName":"b"}""", """{"type":"offer","sdp":"v=0","target":"publisher"}""" };
        for (var i = 0; i < 5000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(samples[i % 2]);
            var len = rng.Next(bytes.Length + 1);
            var data = bytes[..len];
            if (len > 0 && i % 3 == 0) data[rng.Next(len)] = (byte)rng.Next(256);
            Assert.NotNull(SignalingParser.Parse(data, 65536));
        }
    }
}
