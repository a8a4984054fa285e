using CsCheck;
using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class SequenceRewriterTests
{
    [Fact]
    public void Output_starts_at_the_initial_values_and_follows_the_source()
    {
        var r = new SequenceRewriter(initialSequence: 1000, initialTimestamp: 5000);
        r.Restart(sourceSequence: 70_000, sourceTimestamp: 123_456, timestampGap: 0);
        Assert.True(r.TryRewrite(70_000, 123_456, out var s0, out var t0));
        Assert.True(r.TryRewrite(70_001, 126_456, out var s1, out var t1));
        Assert.Equal(1000, s0);
        Assert.Equal(1001, s1);
        Assert.Equal(5001u, t0);
        Assert.Equal(t0 + 3000, t1);
    }

    [Fact]
    public void Packets_from_before_the_anchor_are_refused()
    {
        var r = new SequenceRewriter(10, 10);
        r.Restart(500, 1, 0);
        Assert.False(r.TryRewrite(499, 0, out _, out _));
        Assert.True(r.TryRewrite(500, 1, out _, out _));
    }

    [Fact]
    public void Output_sequences_map_back_to_the_source_across_the_wrap_and_a_restart()
    {
        var r = new SequenceRewriter(65533, 0);
        Assert.False(r.TrySourceSequence(65533, out _));
        r.Restart(1000, 0, 0);
        for (var s = 1000; s < 1005; s++) Assert.True(r.TryRewrite(s, 0, out _, out _));
        // Output 65533..65535, 0, 1 stand for source 1000..1004; a NACK may name one not yet seen as well.
        Assert.True(r.TrySourceSequence(65535, out var a));
        Assert.Equal(1002, a);
        Assert.True(r.TrySourceSequence(1, out var b));
        Assert.Equal(1004, b);
        Assert.True(r.TrySourceSequence(3, out var c));
        Assert.Equal(1006, c);
        Assert.False(r.TrySourceSequence(65532, out _));
        // After a layer switch the numbering continues, anchored on the new source.
        r.Restart(50_000, 0, 3000);
        Assert.True(r.TryRewrite(50_000, 0, out var next, out _));
        Assert.Equal(2, next);
        Assert.True(r.TrySourceSequence(2, out var d));
        Assert.Equal(50_000, d);
        Assert.False(r.TrySourceSequence(1, out _));
    }

    [Fact]
    public void Nothing_is_rewritten_before_the_first_anchor()
    {
        var r = new SequenceRewriter(10, 10);
        Assert.False(r.TryRewrite(1, 1, out _, out _));
    }

    [Fact]
    public void Output_sequence_wraps_at_65535()
    {
        var r = new SequenceRewriter(65534, 0);
        r.Restart(10, 0, 0);
        var seqs = Enumerable.Range(10, 4).Select(i => { r.TryRewrite(i, 0, out var s, out _); return s; }).ToArray();
        Assert.Equal(new ushort[] { 65534, 65535, 0, 1 }, seqs);
    }

    [Fact]
    public void Restart_on_another_source_keeps_output_contiguous()
    {
        // A property over random switch points: after any number of re-anchors the output sequence never
        // repeats or skips, and timestamps never go backwards.
        Gen.Select(Gen.UShort, Gen.Int[1, 20].Array[1, 8], Gen.Long[0, 1L << 40]).Sample((start, runs, sourceBase) =>
        {
            var r = new SequenceRewriter(start, 0);
            long expected = start;
            uint lastTs = 0;
            var src = sourceBase;
            var first = true;
            foreach (var run in runs)
            {
                src += 1000; // another source, far away in sequence and timestamp space
                r.Restart(src, (uint)(src * 7), timestampGap: 3000);
                for (var i = 0; i < run; i++)
                {
                    Assert.True(r.TryRewrite(src + i, (uint)((src + i) * 7), out var s, out var ts));
                    Assert.Equal((ushort)expected, s);
                    if (!first) Assert.True((int)(ts - lastTs) > 0);
                    first = false;
                    lastTs = ts;
                    expected++;
                }
                src += run;
            }
        });
    }
}
