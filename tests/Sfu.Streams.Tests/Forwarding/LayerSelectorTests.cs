using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class LayerSelectorTests
{
    [Fact]
    public void Starts_only_on_a_keyframe_of_the_target_layer()
    {
        var s = new LayerSelector();
        Assert.Equal(LayerDecision.Drop, s.OnPacket(layer: 0, keyframe: true, effectiveTarget: 2));
        Assert.Equal(LayerDecision.NeedKeyframe, s.OnPacket(2, false, 2));
        Assert.Equal(-1, s.Current);
        Assert.Equal(LayerDecision.Switch, s.OnPacket(2, true, 2));
        Assert.Equal(2, s.Current);
        Assert.Equal(0, s.Switches);
        Assert.Equal(LayerDecision.Forward, s.OnPacket(2, false, 2));
        Assert.Equal(LayerDecision.Drop, s.OnPacket(1, true, 2));
    }

    [Theory]
    [InlineData(2, 0)] // down
    [InlineData(0, 2)] // up
    [InlineData(1, 2)]
    public void Switches_at_the_target_keyframe_and_forwards_the_old_layer_until_then(int from, int to)
    {
        var s = new LayerSelector();
        Assert.Equal(LayerDecision.Switch, s.OnPacket(from, true, from));
        Assert.Equal(LayerDecision.Forward, s.OnPacket(from, false, to));
        Assert.Equal(LayerDecision.NeedKeyframe, s.OnPacket(to, false, to));
        Assert.Equal(LayerDecision.Forward, s.OnPacket(from, true, to));
        Assert.Equal(LayerDecision.Switch, s.OnPacket(to, true, to));
        Assert.Equal(LayerDecision.Drop, s.OnPacket(from, false, to));
        Assert.Equal(to, s.Current);
        Assert.Equal(1, s.Switches);
    }

    [Fact]
    public void A_switch_down_forced_by_bandwidth_stops_the_old_layer_at_once_one_asked_for_does_not()
    {
        var s = new LayerSelector();
        Assert.Equal(LayerDecision.Switch, s.OnPacket(2, true, 2));
        s.MaxRequested = 0;
        Assert.Equal(LayerDecision.Forward, s.OnPacket(2, false, 0));
        s.MaxRequested = LayerSelector.Unlimited;
        s.MaxAllocated = 0;
        Assert.Equal(LayerDecision.Drop, s.OnPacket(2, false, 0));
        Assert.Equal(LayerDecision.Drop, s.OnPacket(2, true, 0));
        Assert.Equal(LayerDecision.NeedKeyframe, s.OnPacket(0, false, 0));
        Assert.Equal(LayerDecision.Switch, s.OnPacket(0, true, 0));
        // Back up: the low layer keeps flowing until the high keyframe.
        s.MaxAllocated = 2;
        Assert.Equal(LayerDecision.Forward, s.OnPacket(0, false, 2));
        Assert.Equal(LayerDecision.Switch, s.OnPacket(2, true, 2));
    }

    [Fact]
    public void Target_is_the_lower_of_the_two_caps_and_negative_values_clamp_to_zero()
    {
        var s = new LayerSelector();
        Assert.Equal(LayerSelector.Unlimited, s.Target);
        s.MaxRequested = 2;
        s.MaxAllocated = 1;
        Assert.Equal(1, s.Target);
        s.MaxAllocated = LayerSelector.Unlimited;
        Assert.Equal(2, s.Target);
        s.MaxRequested = -5;
        Assert.Equal(0, s.Target);
    }

    [Fact]
    public void Suspend_makes_the_next_start_wait_for_a_keyframe()
    {
        var s = new LayerSelector();
        s.OnPacket(1, true, 1);
        s.Suspend();
        Assert.Equal(LayerDecision.NeedKeyframe, s.OnPacket(1, false, 1));
        Assert.Equal(LayerDecision.Switch, s.OnPacket(1, true, 1));
    }

    [Fact]
    public void Without_an_active_layer_only_the_current_one_is_forwarded()
    {
        var s = new LayerSelector();
        Assert.Equal(LayerDecision.Drop, s.OnPacket(0, true, -1));
        s.OnPacket(0, true, 0);
        Assert.Equal(LayerDecision.Forward, s.OnPacket(0, false, -1));
    }
}
