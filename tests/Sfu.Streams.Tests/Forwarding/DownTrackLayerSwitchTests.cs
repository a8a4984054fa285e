using System.Buffers.Binary;
using CsCheck;
using Sfu.Streams.Forwarding;
using Sfu.Streams.Pipeline;
using Sfu.WebRtc.Codecs;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Forwarding;

/// <summary>A three-layer simulcast publisher driven frame by frame into one down-track, on a manual clock.</summary>
public sealed class DownTrackLayerSwitchTests : IDisposable
{
    private static readonly uint[] Ssrcs = [0x1000, 0x2000, 0x3000];
    private readonly RtpTestHarness _h = new();

    public void Dispose() => _h.Dispose();

    private sealed class Simulcast
    {
        private readonly ManualTime _clock = new();
        private readonly MediaSession _publisher;
        private readonly ushort[] _seq = [100, 40_000, 65_500];
        private readonly uint[] _tsBase = [7, 4_000_000_000, 123_456];
        private readonly int[] _pidBase = [10, 20_000, 32_760];
        private readonly byte[] _tl0Base = [0, 100, 250];
        private int _frame;

        public Simulcast(RtpTestHarness h)
        {
            var (pt, _, _) = h.KeyedTransport();
            _publisher = h.Session(pt);
            Track = new UpTrack("TR_sim", "PA_pub", "camera", RtpTestHarness.VideoTrack("0", Ssrcs), _publisher, _clock);
            _publisher.AddUpTrack(Track);
            var (st, _, _) = h.KeyedTransport();
            Subscriber = h.Session(st);
            Down = new DownTrack(Track, Subscriber, 0xD0D0, 96, new Dictionary<int, int>(), _clock);
            Subscriber.AddDownTrack(Down);
            Track.Add(Down);
        }

        public UpTrack Track { get; }
        public MediaSession Subscriber { get; }
        public DownTrack Down { get; }

        /// <summary>Sends one frame (two packets) on each listed layer; returns what the subscriber got.</summary>
        public List<Received> Frame(bool[] keyframes, bool[]? active = null)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(33));
            var got = new List<Received>();
            for (var layer = 0; layer < Ssrcs.Length; layer++)
            {
                if (active is not null && !active[layer]) continue;
                for (var part = 0; part < 2; part++)
                {
                    var bytes = Packet(layer, part == 0, keyframes[layer] && part == 0);
                    var packet = MediaPacket.CopyOf(bytes);
                    Assert.True(RtpHeader.TryParse(packet.Span, out var header));
                    var stream = _publisher.ResolveReceiveStream(packet.Span, header)!;
                    packet.ExtendedSequence = stream.OnPacket(packet.Span, header, _clock.GetTimestamp(), 0, out var key);
                    packet.IsKeyframe = key;
                    packet.Route = stream;
                    var target = Down.EffectiveTargetLayer;
                    Track.Forward(packet);
                    packet.Release();
                    while (Subscriber.Egress.Reader.TryRead(out var o))
                    {
                        got.Add(Received.Parse(o.Span, target));
                        o.Release();
                    }
                }
            }
            _frame++;
            return got;
        }

        private byte[] Packet(int layer, bool first, bool keyframe)
        {
            var payload = Vp8PictureRewriterTests.Payload((_pidBase[layer] + _frame) & 0x7FFF, (byte)(_tl0Base[layer] + _frame), start: first);
            if (first) payload[0] &= 0xF8; // PID 0
            // VP8 payload header: P = 0 and the start code mark a keyframe (RFC 7741 §4.3, RFC 6386 §9.1).
            payload[6] = (byte)(keyframe ? 0x00 : 0x01);
            if (keyframe)
            {
                payload[9] = 0x9D;
                payload[10] = 0x01;
                payload[11] = 0x2A;
            }
            payload[^1] = (byte)layer;
            var packet = new byte[12 + payload.Length];
            packet[0] = 0x80;
            packet[1] = RtpTestHarness.Vp8Pt;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _seq[layer]++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), unchecked(_tsBase[layer] + (uint)_frame * 3000));
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrcs[layer]);
            payload.CopyTo(packet, 12);
            return packet;
        }
    }

    private readonly record struct Received(ushort Seq, uint Ts, int PictureId, int Tl0, int Layer, bool Keyframe, int TargetWhenSent)
    {
        public static Received Parse(ReadOnlySpan<byte> packet, int target)
        {
            Assert.True(RtpHeader.TryParse(packet, out var h));
            var payload = packet.Slice(h.HeaderLength, h.PayloadLength);
            Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var d));
            return new Received(h.SequenceNumber, h.Timestamp, d.PictureId, d.Tl0PicIdx, payload[^1],
                KeyframeDetector.IsKeyframe("VP8", payload), target);
        }
    }

    [Fact]
    public void Random_switch_sequences_keep_sequence_timestamp_and_picture_id_continuous()
    {
        // Per frame: a new requested layer (or -1 = unchanged) and a keyframe flag per layer.
        var frames = Gen.Select(Gen.Int[-1, 2], Gen.Int[0, 9].Array[3]).Array[20, 120];
        frames.Sample(script =>
        {
            var sim = new Simulcast(_h);
            var all = new List<Received>();
            var first = true;
            foreach (var (request, keyRolls) in script)
            {
                if (request >= 0) sim.Down.Layers.MaxRequested = request;
                // The first frame is a keyframe everywhere, as a publisher's stream starts; later ~1 in 10.
                var keys = keyRolls.Select(k => first || k == 0).ToArray();
                first = false;
                all.AddRange(sim.Frame(keys));
            }

            Assert.NotEmpty(all);
            Assert.True(all[0].Keyframe);
            for (var i = 1; i < all.Count; i++)
            {
                var (a, b) = (all[i - 1], all[i]);
                Assert.Equal((ushort)(a.Seq + 1), b.Seq);
                var samePicture = b.Ts == a.Ts;
                Assert.True(samePicture || (int)(b.Ts - a.Ts) > 0, "timestamps go forward");
                Assert.Equal(samePicture ? a.PictureId : (a.PictureId + 1) & 0x7FFF, b.PictureId);
                Assert.Equal(samePicture ? a.Tl0 : (byte)(a.Tl0 + 1), b.Tl0);
                if (b.Layer != a.Layer)
                {
                    // A switch happens only on a keyframe of the layer wanted at that moment.
                    Assert.True(b.Keyframe);
                    Assert.Equal(b.TargetWhenSent, b.Layer);
                    Assert.False(samePicture);
                }
            }
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Goes_to_the_requested_layer_at_its_next_keyframe_and_asks_for_one()
    {
        var sim = new Simulcast(_h);
        var allKeys = new[] { true, true, true };
        var noKeys = new[] { false, false, false };
        // Layers come up in order within the first frame, so the track climbs as each one is seen.
        Assert.Equal([0, 1, 2], sim.Frame(allKeys).Select(r => r.Layer).Distinct());
        Assert.Equal(2, sim.Down.Layer);
        sim.Down.Layers.MaxRequested = 0;
        Assert.All(sim.Frame(noKeys), r => Assert.Equal(2, r.Layer));
        Assert.True(sim.Down.NeedsKeyframe);
        Assert.All(sim.Frame([true, false, false]), r => Assert.Equal(0, r.Layer));
        Assert.Equal(0, sim.Down.Layer);
        Assert.Equal(3, sim.Down.Layers.Switches);
    }

    [Fact]
    public void Falls_back_to_a_lower_layer_when_the_publisher_stops_sending_the_target()
    {
        var sim = new Simulcast(_h);
        sim.Frame([true, true, true]);
        Assert.Equal(2, sim.Down.Layer);
        var lowTwo = new[] { true, true, false };
        // Within the activity window the top layer still counts as active.
        for (var i = 0; i < 40; i++) sim.Frame([false, i == 39, false], lowTwo);
        Assert.Equal(1, sim.Down.Layer);
    }

    [Fact]
    public void Resuming_after_a_pause_waits_for_a_keyframe()
    {
        var sim = new Simulcast(_h);
        sim.Frame([true, true, true]);
        sim.Down.Paused = true;
        Assert.Empty(sim.Frame([true, true, true]));
        sim.Down.Paused = false;
        Assert.Empty(sim.Frame([false, false, false]));
        var resumed = sim.Frame([false, false, true]);
        Assert.NotEmpty(resumed);
        Assert.True(resumed[0].Keyframe);
    }
}
