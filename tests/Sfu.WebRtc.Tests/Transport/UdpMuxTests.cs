using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Stun;
using Sfu.WebRtc.Tests.Ice;
using Sfu.WebRtc.Transport;

namespace Sfu.WebRtc.Tests.Transport;

public sealed class UdpMuxTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly UdpMux _mux;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate();
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpMuxTests()
    {
        _mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), _time);
        _mux.Start();
        _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _client.ReceiveTimeout = 5000;
    }

    public void Dispose()
    {
        _client.Dispose();
        _mux.Dispose();
    }

    private WebRtcTransport NewTransport()
    {
        var t = new WebRtcTransport(_mux, _certificate, [SrtpProfile.Aes128CmHmacSha1_80], TimeSpan.FromSeconds(30), "test");
        _mux.Register(t);
        return t;
    }

    private byte[] Request(string username, string password, bool useCandidate = true)
    {
        var buffer = new byte[512];
        var n = StunWriter.WriteBindingRequest(buffer, RandomNumberGenerator.GetBytes(12), username, 1234, 42, useCandidate, Encoding.UTF8.GetBytes(password));
        return buffer[..n];
    }

    private byte[] SendAndReceive(byte[] datagram)
    {
        _client.SendTo(datagram, _mux.LocalEndPoint);
        var buffer = new byte[1500];
        var n = _client.Receive(buffer);
        return buffer[..n];
    }

    [Fact]
    public void A_valid_check_gets_a_success_response_that_names_the_client_address()
    {
        var t = NewTransport();
        var response = SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword));
        Assert.True(StunMessageView.TryParse(response, out var msg));
        Assert.Equal(StunMethodClass.SuccessResponse, msg.Class);
        Assert.True(msg.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(t.LocalPassword)));
        Assert.True(msg.VerifyFingerprint());
        Assert.True(msg.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(_client.LocalEndPoint, mapped);
        Assert.Equal(_client.LocalEndPoint, t.RemoteEndPoint);
    }

    [Fact]
    public void With_several_receive_threads_on_one_port_every_peer_is_answered_from_that_port()
    {
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, receiveThreads: 3);
        mux.Start();
        Assert.Equal(OperatingSystem.IsLinux() ? 3 : 1, mux.ReceiveThreads);
        // Enough peers that the kernel's hash spreads them over all three sockets.
        for (var i = 0; i < 24; i++)
        {
            var t = new WebRtcTransport(mux, _certificate, [SrtpProfile.Aes128CmHmacSha1_80], TimeSpan.FromSeconds(30), "test");
            mux.Register(t);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            client.ReceiveTimeout = 5000;
            client.SendTo(Request($"{t.LocalUfrag}:client", t.LocalPassword), mux.LocalEndPoint);
            var buffer = new byte[1500];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var n = client.ReceiveFrom(buffer, ref from);
            Assert.Equal(mux.LocalEndPoint, from);
            Assert.True(StunMessageView.TryParse(buffer.AsSpan(0, n), out var msg));
            Assert.Equal(StunMethodClass.SuccessResponse, msg.Class);
            Assert.Equal(client.LocalEndPoint, t.RemoteEndPoint);
        }
    }

    [Fact]
    public void A_check_with_the_wrong_password_gets_401_and_is_counted()
    {
        var t = NewTransport();
        var before = DropCounters.Get(DropReason.StunBadIntegrity);
        var response = SendAndReceive(Request($"{t.LocalUfrag}:client", "not-the-password-at-all-000"));
        Assert.True(StunMessageView.TryParse(response, out var msg));
        Assert.Equal(StunMethodClass.ErrorResponse, msg.Class);
        Assert.Equal(401, msg.ErrorCode);
        Assert.True(DropCounters.Get(DropReason.StunBadIntegrity) > before);
        Assert.Null(t.RemoteEndPoint);
    }

    [Fact]
    public void Unknown_ufrags_and_garbage_are_dropped_without_an_answer_and_counted()
    {
        var unknown = DropCounters.Get(DropReason.StunUnknownUser);
        var garbage = DropCounters.Get(DropReason.UnknownDatagram);
        _client.SendTo(Request("nobodyhere:client", "whatever-password-1234567"), _mux.LocalEndPoint);
        _client.SendTo(new byte[] { 0xFF, 1, 2, 3 }, _mux.LocalEndPoint);
        var t = NewTransport();
        // A valid check afterwards is answered: the mux kept working and the first answer we get is this one.
        var response = SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword));
        Assert.True(StunMessageView.TryParse(response, out var msg));
        Assert.Equal(StunMethodClass.SuccessResponse, msg.Class);
        Assert.True(DropCounters.Get(DropReason.StunUnknownUser) > unknown);
        Assert.True(DropCounters.Get(DropReason.UnknownDatagram) > garbage);
    }

    [Fact]
    public void Media_before_dtls_completes_is_dropped()
    {
        var t = NewTransport();
        SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword));
        var before = DropCounters.Get(DropReason.NotConnected);
        var rtp = new byte[100];
        rtp[0] = 0x80;
        _client.SendTo(rtp, _mux.LocalEndPoint);
        // The next check is answered only after the RTP datagram was handled (one receive thread, in order).
        SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword));
        Assert.True(DropCounters.Get(DropReason.NotConnected) > before);
    }

    [Fact]
    public void A_peer_silent_for_longer_than_the_consent_timeout_fails_the_transport()
    {
        // RFC 7675 §5.1: consent expires 30 s after the last valid check.
        var t = NewTransport();
        var peer = DtlsCertificate.Generate();
        t.SetRemoteParameters("client", "sha-256", peer.Sha256Fingerprint, DtlsRole.Server);
        var states = new List<TransportState>();
        t.StateChanged += (_, s) => { lock (states) states.Add(s); };
        SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword));
        Assert.Equal(TransportState.Connecting, t.State);
        _time.Advance(TimeSpan.FromSeconds(29));
        t.CheckLiveness(TimeSpan.FromSeconds(30));
        Assert.Equal(TransportState.Connecting, t.State);
        _time.Advance(TimeSpan.FromSeconds(2));
        t.CheckLiveness(TimeSpan.FromSeconds(30));
        Assert.Equal(TransportState.Failed, t.State);
        lock (states) Assert.Contains(TransportState.Failed, states);
        t.Dispose();
    }

    [Fact]
    public void Use_candidate_from_another_address_moves_the_transport_there()
    {
        var t = NewTransport();
        SendAndReceive(Request($"{t.LocalUfrag}:client", t.LocalPassword, useCandidate: false));
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.ReceiveTimeout = 5000;
        other.SendTo(Request($"{t.LocalUfrag}:client", t.LocalPassword, useCandidate: true), _mux.LocalEndPoint);
        other.Receive(new byte[1500]);
        Assert.Equal(other.LocalEndPoint, t.RemoteEndPoint);
    }
}
