using Sfu.Actors.Rooms;
using Sfu.Service.Configuration;
using Sfu.Service.Hosting;

namespace Sfu.Service.Tests.Operations;

public class MemoryAdmissionTests
{
    private const long Mb = 1024 * 1024;

    private sealed class FakeProbe : IMemoryProbe
    {
        public long WorkingSetBytes { get; set; }
    }

    private static PerformanceConfig Limits(int totalMb, int perRoomMb) => PerformanceConfig.Default with { MaxMemoryTotalMb = totalMb, MaxMemoryPerRoomMb = perRoomMb };

    private static RoomSnapshot Room(string id) => new(id, id, 10, DateTimeOffset.UnixEpoch, false, []);

    [Fact]
    public void No_limits_admit_everything_without_reading_memory()
    {
        var probe = new FakeProbe { WorkingSetBytes = long.MaxValue };
        var admission = new MemoryAdmission(PerformanceConfig.Default, probe, new RoomDirectory());

        Assert.False(admission.Enabled);
        Assert.Null(admission.Check("r"));
    }

    [Fact]
    public void Total_limit_refuses_above_and_admits_at_or_below()
    {
        var probe = new FakeProbe { WorkingSetBytes = 100 * Mb };
        var refusals = new List<string>();
        var admission = new MemoryAdmission(Limits(100, 0), probe, new RoomDirectory(), refusals.Add);

        Assert.Null(admission.Check("r"));
        probe.WorkingSetBytes = 100 * Mb + 1;
        var reason = admission.Check("r");

        Assert.NotNull(reason);
        Assert.Contains("max_memory_total (100 MB)", reason);
        Assert.Equal(["memory_total"], refusals);
    }

    [Fact]
    public void Per_room_limit_divides_the_working_set_by_the_rooms_including_a_new_one()
    {
        var directory = new RoomDirectory();
        directory.Set(Room("a"));
        directory.Set(Room("b"));
        var probe = new FakeProbe { WorkingSetBytes = 300 * Mb };
        var refusals = new List<string>();
        var admission = new MemoryAdmission(Limits(0, 120), probe, directory, refusals.Add);

        // Joining an existing room: 300 / 2 = 150 MB per room > 120.
        Assert.Contains("max_memory_per_room (120 MB)", admission.Check("a"));
        // A new room would make three: 300 / 3 = 100 MB <= 120.
        Assert.Null(admission.Check("c"));
        Assert.Equal(["memory_per_room"], refusals);
    }
}
