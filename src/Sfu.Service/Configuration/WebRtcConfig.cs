using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace Sfu.Service.Configuration;

/// <summary><c>webrtc:</c> ICE, transport and congestion settings for every peer connection.</summary>
public sealed record WebRtcConfig(
    ValueList<IceServerConfig> IceServers,
    int MaxBitrate,
    int MinBitrate,
    bool Simulcast,
    TimeSpan JitterBufferTarget,
    TimeSpan JitterBufferMax,
    bool Dtx,
    bool Fec,
    bool Nack,
    int UdpPort,
    [property: JsonConverter(typeof(IpAddressJsonConverter))] IPAddress? AnnouncedIp,
    [property: JsonConverter(typeof(IpAddressJsonConverter))] IPAddress ListenIp,
    int IceTcpPort,
    TimeSpan ConsentTimeout)
{
    public static readonly WebRtcConfig Default = new(
        IceServers: ValueList<IceServerConfig>.Empty,
        MaxBitrate: 2_500_000,
        MinBitrate: 150_000,
        Simulcast: true,
        JitterBufferTarget: TimeSpan.FromMilliseconds(50),
        JitterBufferMax: TimeSpan.FromMilliseconds(200),
        Dtx: true,
        Fec: true,
        Nack: true,
        UdpPort: 10000,
        AnnouncedIp: null,
        ListenIp: IPAddress.Any,
        IceTcpPort: 0,
        ConsentTimeout: TimeSpan.FromSeconds(30));

    /// <summary>False when <c>ice_tcp_port</c> is 0: candidates are UDP only.</summary>
    public bool IceTcpEnabled => IceTcpPort != 0;
}

/// <summary>One entry of <c>webrtc.ice_servers</c>, handed to browsers as an <c>RTCIceServer</c>.</summary>
public sealed record IceServerConfig(ValueList<string> Urls, string? Username, string? Credential)
{
    // The credential is a secret: keep it out of logs that print the configuration.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Urls = {Urls}, Username = {Username}, Credential = {(Credential is null ? "" : "***")}");
        return true;
    }
}
