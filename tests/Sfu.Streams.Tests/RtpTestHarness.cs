using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests;

/// <summary>Builds packets, keyed transports and tracks for stage tests.</summary>
public sealed class RtpTestHarness : IDisposable
{
    public const byte Vp8Pt = 96;
    public const int MidExtensionId = 4;
    public static readonly NegotiatedCodec Vp8 = new(Vp8Pt, "VP8", 90000, 0, null, ["nack", "nack pli"], null);

    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();
    public TimeProvider Time { get; } = TimeProvider.System;
    public UdpMux Mux { get; } = new(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System);

    private bool _muxStarted;

    public void Dispose() => Mux.Dispose();

    /// <summary>A keyed transport whose remote address is a real client socket (bound by a STUN check), so sends reach it.</summary>
    public (WebRtcTransport Transport, SrtpContext PeerProtect, SrtpContext PeerUnprotect, System.Net.Sockets.Socket Client) ConnectedTransport()
    {
        if (!_muxStarted)
        {
            Mux.Start();
            _muxStarted = true;
        }
        var (t, protect, unprotect) = KeyedTransport();
        Mux.Register(t);
        var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5000;
        var request = new byte[256];
        var n = Sfu.WebRtc.Stun.StunWriter.WriteBindingRequest(request, RandomNumberGenerator.GetBytes(12), $"{t.LocalUfrag}:peer", 1, 1, true,
            System.Text.Encoding.UTF8.GetBytes(t.LocalPassword));
        client.SendTo(request.AsSpan(0, n), Mux.LocalEndPoint);
        client.Receive(new byte[1500]);
        return (t, protect, unprotect, client);
    }

    /// <summary>A transport keyed with fresh SRTP keys, and the peer-side contexts that match them.</summary>
    public (WebRtcTransport Transport, SrtpContext PeerProtect, SrtpContext PeerUnprotect) KeyedTransport(SrtpProfile profile = SrtpProfile.Aes128CmHmacSha1_80)
    {
        var material = RandomNumberGenerator.GetBytes(SrtpKeyMaterial.KeyingMaterialLength(profile));
        var (serverLocal, serverRemote) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: true);
        var (clientLocal, clientRemote) = SrtpKeyMaterial.CreateContexts(profile, material, isDtlsServer: false);
        var t = new WebRtcTransport(Mux, Certificate, [profile], TimeSpan.FromSeconds(30), "test");
        t.UseSrtp(serverRemote, serverLocal);
        return (t, clientLocal, clientRemote);
    }

    /// <summary>A session whose forwarded packets wait in its egress queue (unencrypted) for the test to inspect.</summary>
    public MediaSession Session(WebRtcTransport transport, long maxBitrate = 0) => new(transport, Time, 256, maxBitrate, "test") { InlineEgress = false };

    public static PublishedTrackDescription VideoTrack(string mid, params uint[] ssrcs) =>
        new(mid, "video", "stream", "track-" + mid, ssrcs, new Dictionary<uint, uint>(), [Vp8],
            new Dictionary<string, int> { [RtpExtensionUris.Mid] = MidExtensionId }, []);

    /// <summary>An RTP packet with a VP8 payload descriptor; keyframe sets S=1, PID=0 and a VP8 keyframe header (P=0).</summary>
    public static byte[] Vp8Packet(uint ssrc, ushort seq, uint ts, bool keyframe, int payloadLength = 100, string? mid = null, byte pt = Vp8Pt)
    {
        var extLength = mid is null ? 0 : 4 + ((1 + mid.Length + 3) / 4) * 4;
        var packet = new byte[12 + extLength + payloadLength];
        packet[0] = (byte)(0x80 | (mid is null ? 0 : 0x10));
        packet[1] = pt;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        var offset = 12;
        if (mid is not null)
        {
            packet[12] = 0xBE;
            packet[13] = 0xDE;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)((extLength - 4) / 4));
            packet[16] = (byte)((MidExtensionId << 4) | (mid.Length - 1));
            System.Text.Encoding.ASCII.GetBytes(mid).CopyTo(packet, 17);
            offset += extLength;
        }
        // RFC 7741: S bit set, PID 0; then the VP8 payload header whose P bit (LSB) is 0 on keyframes.
        packet[offset] = 0x10;
        packet[offset + 1] = (byte)(keyframe ? 0x00 : 0x01);
        if (keyframe)
        {
            packet[offset + 4] = 0x9D;
            packet[offset + 5] = 0x01;
            packet[offset + 6] = 0x2A;
        }
        return packet;
    }

    public static MediaPacket ToPacket(byte[] data, bool rtcp = false)
    {
        var p = MediaPacket.CopyOf(data);
        p.IsRtcp = rtcp;
        p.ArrivalTimestamp = TimeProvider.System.GetTimestamp();
        return p;
    }

    /// <summary>Protects a plaintext RTP (or RTCP) packet with <paramref name="context"/>, as a peer would send it.</summary>
    public static MediaPacket Protected(SrtpContext context, byte[] plain, bool rtcp = false)
    {
        var p = MediaPacket.CopyOf(plain);
        var result = rtcp ? context.ProtectRtcp(p.Buffer, p.Length, out var n) : context.ProtectRtp(p.Buffer, p.Length, out n);
        if (result != SrtpResult.Ok) throw new InvalidOperationException(result.ToString());
        p.Length = n;
        return p;
    }
}
