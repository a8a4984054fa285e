using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sfu.WebRtc.Stun;
using Sfu.WebRtc.Transport;
using Xunit.Abstractions;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>
/// Bad input at the media port and the signaling socket while two Chromium pages forward video
/// through the server: the pages keep decoding, the bad input is counted or answered with an
/// error, and what crosses the wire is SRTP, not plaintext media.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class RobustnessTests(SfuServerFixture server, ChromiumFixture chromium, RobustnessRoom room, ITestOutputHelper output)
    : IClassFixture<RobustnessRoom>, IAsyncLifetime
{
    private const int Seed = 20261124;
    private static readonly TimeSpan AttackDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CountedWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);
    // ~2,000 datagrams a second: thousands per attack without starving two cores' worth of browsers.
    private const int Burst = 25;
    private static readonly TimeSpan BurstPause = TimeSpan.FromMilliseconds(10);

    private readonly TestLog _log = new(output);

    public Task InitializeAsync() => room.EnsureAsync(server, chromium, output);

    public Task DisposeAsync()
    {
        room.Detach();
        _log.Close();
        return Task.CompletedTask;
    }

    private IPEndPoint MediaPort => new(IPAddress.Loopback, server.UdpPort);

    [InProcessServerFact]
    public async Task Random_and_truncated_datagrams_are_counted_and_media_keeps_flowing()
    {
        var drops = DropSnapshot.Take();
        long sent = 0, empty = 0;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var fuzz = new DatagramFuzz(Seed);

        await room.KeepsForwardingWhileAsync(server, _log, "random datagrams", async stop =>
        {
            var buffer = new byte[DatagramFuzz.MaxLength];
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < Burst; i++)
                {
                    var length = fuzz.Next(buffer);
                    socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, MediaPort);
                    sent++;
                    if (length == 0) empty++;
                }
                await Task.Delay(BurstPause, CancellationToken.None);
            }
        }, AttackDuration);

        // Every non-empty datagram lands in one of these (RFC 7983 demux: STUN range, DTLS and RTP
        // ranges from an address no ICE check bound, or no known range); empty ones carry nothing to count.
        DropReason[] reasons = [DropReason.MalformedStun, DropReason.StunUnknownUser, DropReason.UnknownRemoteAddress, DropReason.UnknownDatagram];
        var expected = sent - empty;
        await Poll.UntilAsync(() => Task.FromResult(reasons.Sum(drops.Since)), counted => counted >= expected, CountedWithin,
            $"{expected} bad datagrams counted ({drops.Describe()})");
        _log.Write("test", $"sent {sent} datagrams ({empty} empty); counted: {drops.Describe()}");
        foreach (var reason in new[] { DropReason.MalformedStun, DropReason.UnknownRemoteAddress, DropReason.UnknownDatagram })
            Assert.True(drops.Since(reason) > 0, $"no datagram was dropped as {reason}: {drops.Describe()}");
    }

    [InProcessServerFact]
    public async Task Stun_with_a_wrong_password_gets_401_and_unknown_ufrags_are_dropped()
    {
        var ufrags = ServerUfrags(await room.A.EventsAsync());
        Assert.True(ufrags.Count >= 2, $"A's events hold the server's publisher answer and subscriber offer with their ice-ufrag: {string.Join(", ", ufrags)}");
        var drops = DropSnapshot.Take();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // A reply queue far deeper than one burst, so replies are not lost in our own socket.
        socket.ReceiveBufferSize = 4 * 1024 * 1024;
        var badIntegrity = new ConcurrentDictionary<string, byte>();
        var replies = new ConcurrentDictionary<string, StunReply>();
        long unknownUser = 0, badFingerprint = 0, otherReplies = 0, successOrGarbage = 0;
        using var stopReceiving = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            while (!stopReceiving.IsCancellationRequested)
            {
                SocketReceiveFromResult r;
                try
                {
                    r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopReceiving.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var parsed = StunReply.TryRead(buffer.AsSpan(0, r.ReceivedBytes), out var reply);
                if (parsed && badIntegrity.ContainsKey(reply.TransactionId)) replies[reply.TransactionId] = reply;
                else Interlocked.Increment(ref otherReplies);
                if (!parsed || reply.Class == StunMethodClass.SuccessResponse) Interlocked.Increment(ref successOrGarbage);
            }
        });

        var random = new Random(Seed);
        await room.KeepsForwardingWhileAsync(server, _log, "forged STUN", async stop =>
        {
            var buffer = new byte[512];
            var tid = new byte[12];
            var wrongKey = new byte[32];
            while (!stop.IsCancellationRequested)
            {
                foreach (var ufrag in ufrags)
                {
                    // USE-CANDIDATE: were integrity not checked, this would move the participant's media to us.
                    random.NextBytes(tid);
                    random.NextBytes(wrongKey);
                    var n = StunWriter.WriteBindingRequest(buffer, tid, $"{ufrag}:evil", 0x7E7F00FF, (ulong)random.NextInt64(), true, wrongKey);
                    badIntegrity[Convert.ToHexString(tid)] = 0;
                    socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, MediaPort);

                    random.NextBytes(tid);
                    n = StunWriter.WriteBindingRequest(buffer, tid, $"{ufrag}:evil", 0x7E7F00FF, 1, true, wrongKey);
                    buffer[n - 1] ^= 0x55;
                    socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, MediaPort);
                    badFingerprint++;
                }
                for (var i = 0; i < 8; i++)
                {
                    random.NextBytes(tid);
                    var n = StunWriter.WriteBindingRequest(buffer, tid, $"{IceCredentials.NewUfrag()}:evil", 1, 1, true, wrongKey);
                    socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, MediaPort);
                    unknownUser++;
                }
                await Task.Delay(BurstPause, CancellationToken.None);
            }
        }, AttackDuration);

        try
        {
            await Poll.UntilAsync(() => Task.FromResult(replies.Count), n => n >= badIntegrity.Count, CountedWithin,
                $"a reply to each of {badIntegrity.Count} requests with a wrong MESSAGE-INTEGRITY");
        }
        finally
        {
            await stopReceiving.CancelAsync();
            await receiving;
        }
        _log.Write("test", $"sent {badIntegrity.Count} bad-integrity, {badFingerprint} bad-fingerprint, {unknownUser} unknown-ufrag requests; " +
                           $"{replies.Count} replies, {otherReplies} other datagrams back; counted: {drops.Describe()}");
        // RFC 8489 §9.1.3: 401 Unauthorized, and no MESSAGE-INTEGRITY since the request's failed.
        Assert.All(replies.Values, r => Assert.Equal((StunMethodClass.ErrorResponse, 401, false), (r.Class, r.ErrorCode, r.HasMessageIntegrity)));
        // Whether unknown ufrags and bad fingerprints are answered (RFC 8489 §9.1.3 says 401; ICE-lite
        // SFUs often stay silent to not reflect) is a choice; that none of them gets a success is not.
        Assert.Equal(0, Interlocked.Read(ref successOrGarbage));
        Assert.True(drops.Since(DropReason.StunBadIntegrity) >= badIntegrity.Count, drops.Describe());
        Assert.True(drops.Since(DropReason.StunBadFingerprint) >= badFingerprint, drops.Describe());
        Assert.True(drops.Since(DropReason.StunUnknownUser) >= unknownUser, drops.Describe());
    }

    [InProcessServerFact]
    public async Task Dtls_and_rtp_from_addresses_no_check_bound_are_counted_and_ignored()
    {
        var a = await room.A.StatsAsync();
        var b = await room.B.StatsAsync();
        // The SSRCs really in use, both browser->server and server->browser: forged packets look like the call's own.
        var ssrcs = a.Outbound.Select(o => o.Ssrc).Concat(b.Outbound.Select(o => o.Ssrc))
            .Concat(a.Inbound.Select(i => i.Ssrc)).Concat(b.Inbound.Select(i => i.Ssrc)).Select(s => (uint)s).Distinct().ToArray();
        Assert.NotEmpty(ssrcs);
        var drops = DropSnapshot.Take();
        var sockets = Enumerable.Range(0, 8).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }).ToArray();
        long dtls = 0, rtp = 0, rtcp = 0;
        var random = new Random(Seed);
        try
        {
            await room.KeepsForwardingWhileAsync(server, _log, "DTLS and RTP from strangers", async stop =>
            {
                var buffer = new byte[1400];
                ushort seq = 0;
                while (!stop.IsCancellationRequested)
                {
                    for (var i = 0; i < Burst; i++)
                    {
                        var socket = sockets[random.Next(sockets.Length)];
                        var ssrc = ssrcs[random.Next(ssrcs.Length)];
                        int n;
                        switch (i % 3)
                        {
                            case 0:
                                n = ForgedPackets.Dtls(buffer, random);
                                dtls++;
                                break;
                            case 1:
                                n = ForgedPackets.Rtp(buffer, random, seq++, ssrc);
                                rtp++;
                                break;
                            default:
                                n = ForgedPackets.Rtcp(buffer, random, ssrc, ssrcs[random.Next(ssrcs.Length)]);
                                rtcp++;
                                break;
                        }
                        socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, MediaPort);
                    }
                    await Task.Delay(BurstPause, CancellationToken.None);
                }
            }, AttackDuration);
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
        var sent = dtls + rtp + rtcp;
        await Poll.UntilAsync(() => Task.FromResult(drops.Since(DropReason.UnknownRemoteAddress)), n => n >= sent, CountedWithin,
            $"{sent} datagrams from unbound addresses counted as UnknownRemoteAddress ({drops.Describe()})");
        _log.Write("test", $"sent {dtls} DTLS, {rtp} RTP, {rtcp} RTCP datagrams from {sockets.Length} sockets; counted: {drops.Describe()}");
    }

    [InProcessServerFact]
    public async Task Signaling_abuse_gets_errors_while_the_room_forwards()
    {
        var counts = new Dictionary<string, int>();
        await room.KeepsForwardingWhileAsync(server, _log, "signaling abuse", async _ =>
        {
            await using (var early = await SignalingClient.ConnectAsync(server, _log, "early"))
            {
                await early.ExpectErrorAsync($$"""{"type":"offer","roomId":"{{room.RoomId}}","sdp":"v=0\r\n"}""", "not-joined");
                await early.ExpectErrorAsync("""{"type":"join","roomId":"no spaces/or slashes","participantName":"x"}""", "invalid-message");
                await early.ExpectErrorAsync($$"""{"type":"join","roomId":"{{new string('r', 65)}}"}""", "invalid-message");
            }

            await using var abuser = await SignalingClient.ConnectAsync(server, _log, "abuser");
            await abuser.ExpectErrorAsync("""{"type":"join","roomId":""", "invalid-json");
            await abuser.ExpectErrorAsync("\u0000\u0001 not json at all", "invalid-json");
            await abuser.ExpectErrorAsync("""{"type":"frobnicate","roomId":"x"}""", "unknown-type");
            await abuser.ExpectErrorAsync("[1,2,3]", "invalid-message");
            var huge = $$"""{"type":"join","roomId":"{{room.RoomId}}","participantName":"{{new string('x', 70 * 1024)}}"}""";
            await abuser.ExpectErrorAsync(huge, "message-too-large");

            // The socket survives all that: a valid join works on it.
            var skip = abuser.Received.Count;
            await abuser.SendAsync(new { type = "join", roomId = room.RoomId, participantName = "abuser" });
            var joined = await abuser.WaitForAsync(m => SignalingClient.Type(m) is "joined" or "error", "the join after the bad messages", skip);
            Assert.Equal("joined", SignalingClient.Type(joined));
            await abuser.ExpectErrorAsync($$"""{"type":"offer","roomId":"{{room.RoomId}}","sdp":"this is not SDP\r\nm=video\r\n"}""", "invalid-sdp");
            await abuser.ExpectErrorAsync($$"""{"type":"join","roomId":"{{room.RoomId}}"}""", "already-joined");

            // 500 messages at once against a budget of 50 a second. Each is answered: unknown-type while
            // the budget lasts, rate-limited after; the reply queue is bounded, so not every reply arrives.
            var before = abuser.Received.Count;
            var flood = """{"type":"frobnicate"}"""u8.ToArray();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 500; i++) await abuser.SendAsync(flood);
            var floodMs = clock.ElapsedMilliseconds;
            // Once the budget refills (50 a second) the same socket is heard again. Replies keep their
            // order, so everything after the flood's replies answers a probe.
            await Poll.UntilAsync(async () =>
            {
                await abuser.SendAsync("""{"type":"probe-after-flood"}""");
                return abuser.Received.Skip(before).Any(IsProbeReply);
            }, heard => heard, CountedWithin, "the socket answers again after the flood");
            // The server read the flood at some point before it answered the probe: the budget it could
            // have refilled meanwhile is bounded by that time, not by how fast we wrote.
            var readWithin = clock.Elapsed;
            var floodReplies = abuser.Received.Skip(before).TakeWhile(m => !IsProbeReply(m)).ToList();
            counts["flood-ms"] = (int)floodMs;
            // Includes a probe or two sent before the budget refilled.
            counts["rate-limited"] = floodReplies.Count(IsRateLimited);
            counts["unknown-type"] = floodReplies.Count(m => IsError(m, "unknown-type"));
            Assert.True(counts["rate-limited"] > 0, "the flood got no rate-limited error");
            var budget = 50 + (int)Math.Ceiling(readWithin.TotalSeconds * 50);
            counts["budget"] = budget;
            Assert.InRange(counts["unknown-type"], 1, budget);
            Assert.Equal(floodReplies.Count, counts["rate-limited"] + counts["unknown-type"]);
            counts["all"] = abuser.Received.Count;
            Assert.True(abuser.IsOpen);
        }, AttackDuration);
        _log.Write("test", $"signaling replies: {JsonSerializer.Serialize(counts)}");
    }

    private static bool IsRateLimited(JsonElement m) => IsError(m, "rate-limited");

    private static bool IsProbeReply(JsonElement m) =>
        IsError(m, "unknown-type") && m.GetProperty("message").GetString()!.Contains("probe-after-flood", StringComparison.Ordinal);

    private static bool IsError(JsonElement m, string code) =>
        SignalingClient.Type(m) == "error" && m.TryGetProperty("code", out var c) && c.GetString() == code;

    [InProcessServerFact(NeedsTcpdump = true)]
    public async Task Media_on_the_wire_is_srtp_with_no_plaintext_vp8_keyframes()
    {
        await using var capture = await PacketCapture.StartAsync(server.UdpPort, _log);
        // A newcomer during the capture: the server asks A and B for keyframes for it (and C sends its
        // first keyframes to A and B), so keyframes cross the wire while tcpdump listens.
        var c = await SfuPage.JoinAsync(chromium, server, room.RoomId, "C", _log);
        byte[] pcap;
        PageStats cStats;
        string cId;
        List<JsonElement> events;
        try
        {
            cId = await c.ParticipantIdAsync();
            cStats = await Poll.UntilAsync(c.StatsAsync,
                s => new[] { room.AId, room.BId }.All(p => s.InboundFrom(p, "video").Any(v => v.KeyFramesDecoded > 0 && v.FramesDecoded > 20)),
                MediaTimeout, "C decodes keyframes and frames from A and B");
            foreach (var viewer in new[] { room.A, room.B })
                await Poll.UntilAsync(viewer.StatsAsync, s => s.InboundFrom(cId, "video").Any(v => v.KeyFramesDecoded > 0 && v.FramesDecoded > 20),
                    MediaTimeout, $"{viewer.Label} decodes keyframes and frames from C");
            pcap = await capture.StopAsync();
            events = [.. await room.A.EventsAsync(), .. await room.B.EventsAsync(), .. await c.EventsAsync()];
        }
        finally
        {
            await c.DisposeAsync();
        }

        var datagrams = PcapReader.ReadUdp(pcap);
        var (vp8, rtx) = VideoPayloadTypes(events);
        Assert.True(vp8.Count > 0, "the SDPs name a VP8 payload type");
        var histogram = new long[256];
        var rtpIn = 0;
        var rtpOut = 0;
        var vp8Checked = 0;
        var clearKeyframes = new List<string>();
        foreach (var d in datagrams)
        {
            var data = d.Payload;
            if (!RtpWire.IsRtp(data) || !RtpWire.TryPayloadOffset(data, out var offset)) continue;
            if (d.DestinationPort == server.UdpPort) rtpIn++;
            else if (d.SourcePort == server.UdpPort) rtpOut++;
            foreach (var b in data.AsSpan(offset)) histogram[b]++;
            var pt = RtpWire.PayloadType(data);
            var payload = data.AsSpan(offset);
            if (rtx.Contains(pt) && payload.Length >= 2) payload = payload[2..];
            else if (!vp8.Contains(pt)) continue;
            vp8Checked++;
            if (RtpWire.HasVp8StartCodeInClear(payload))
                clearKeyframes.Add($"{d.Source}:{d.SourcePort}->{d.Destination}:{d.DestinationPort} pt {pt} {Convert.ToHexString(data.AsSpan(0, Math.Min(40, data.Length)))}");
        }
        var entropy = RtpWire.EntropyBitsPerByte(histogram);
        _log.Write("test", $"captured {pcap.Length} bytes, {datagrams.Count} datagrams: RTP {rtpIn} to the server, {rtpOut} from it; " +
                           $"{vp8Checked} VP8/RTX checked (PTs {string.Join(",", vp8)} rtx {string.Join(",", rtx)}), payload entropy {entropy:0.000} bits/byte; " +
                           $"C keyframes decoded: {string.Join(", ", cStats.Inbound.Where(i => i.Kind == "video").Select(i => $"{i.ParticipantId}={i.KeyFramesDecoded}"))}");
        Assert.True(rtpIn >= 200, $"only {rtpIn} RTP datagrams to the server were captured");
        Assert.True(rtpOut >= 200, $"only {rtpOut} RTP datagrams from the server were captured");
        Assert.True(vp8Checked >= 200, $"only {vp8Checked} VP8 datagrams were checked");
        Assert.True(clearKeyframes.Count == 0, $"plaintext VP8 keyframes on the wire:\n{string.Join("\n", clearKeyframes.Take(5))}");
        Assert.True(entropy > 7.0, $"RTP payload entropy {entropy:0.000} bits/byte looks like plaintext");

        // Leave the pair as it was: C gone from both pages before the next test watches them.
        foreach (var viewer in new[] { room.A, room.B })
            await Poll.UntilAsync(viewer.StateAsync, s => !s.RemoteParticipants.ContainsKey(cId), MediaTimeout, $"{viewer.Label} drops C");
    }

    /// <summary>The ice-ufrag of each SDP the server sent this page (publisher answer, subscriber offers).</summary>
    private static IReadOnlyList<string> ServerUfrags(IEnumerable<JsonElement> events) =>
        ServerSdps(events).SelectMany(sdp => UfragLine().Matches(sdp).Select(m => m.Groups[1].Value)).Distinct().ToList();

    private static IEnumerable<string> ServerSdps(IEnumerable<JsonElement> events) =>
        events.Where(e => SignalingClient.Type(e) is "answer" or "offer" && e.TryGetProperty("sdp", out _))
            .Select(e => e.GetProperty("sdp").GetString() ?? "");

    /// <summary>VP8's payload types in every SDP the server sent, and the RTX types (RFC 4588 §8.6) that repair them.</summary>
    private static (HashSet<int> Vp8, HashSet<int> Rtx) VideoPayloadTypes(IEnumerable<JsonElement> events)
    {
        var vp8 = new HashSet<int>();
        var rtx = new HashSet<int>();
        foreach (var sdp in ServerSdps(events))
        {
            var here = Vp8Line().Matches(sdp).Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();
            vp8.UnionWith(here);
            rtx.UnionWith(AptLine().Matches(sdp).Where(m => here.Contains(int.Parse(m.Groups[2].Value))).Select(m => int.Parse(m.Groups[1].Value)));
        }
        return (vp8, rtx);
    }

    [GeneratedRegex(@"a=ice-ufrag:(\S+)")]
    private static partial Regex UfragLine();

    [GeneratedRegex(@"a=rtpmap:(\d+) VP8/90000", RegexOptions.IgnoreCase)]
    private static partial Regex Vp8Line();

    [GeneratedRegex(@"a=fmtp:(\d+) apt=(\d+)")]
    private static partial Regex AptLine();
}
