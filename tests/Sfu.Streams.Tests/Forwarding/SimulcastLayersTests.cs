using Sfu.Streams.Bandwidth;
using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class SimulcastLayersTests
{
    [Theory]
    [InlineData(3, QualityRequest.Low, 0, 0, 0)]
    [InlineData(3, QualityRequest.Medium, 0, 0, 1)]
    [InlineData(3, QualityRequest.High, 0, 0, 2)]
    [InlineData(3, QualityRequest.Auto, 0, 0, LayerSelector.Unlimited)]
    [InlineData(2, QualityRequest.High, 0, 0, 1)]
    [InlineData(1, QualityRequest.Medium, 0, 0, 0)]
    [InlineData(3, QualityRequest.Auto, 320, 180, 0)]
    [InlineData(3, QualityRequest.Auto, 640, 360, 1)]
    [InlineData(3, QualityRequest.Auto, 641, 360, 2)]
    [InlineData(3, QualityRequest.Auto, 1920, 1080, 2)]
    [InlineData(3, QualityRequest.Low, 1920, 1080, 0)]
    [InlineData(3, QualityRequest.High, 300, 200, 0)]
    [InlineData(2, QualityRequest.Auto, 1920, 1080, 1)]
    public void Cap_takes_the_lower_of_quality_and_render_size(int count, QualityRequest q, int w, int h, int expected) =>
        Assert.Equal(expected, SimulcastLayers.Cap(count, q, w, h));

    [Fact]
    public void Table_is_the_lowest_entries_of_the_quality_table()
    {
        Assert.Equal([VideoQuality.Low, VideoQuality.Medium], SimulcastLayers.Table(2).Select(l => l.Quality));
        Assert.Equal(3, SimulcastLayers.Table(5).Count);
        Assert.Equal("medium", SimulcastLayers.Name(1, 3));
        Assert.Equal("none", SimulcastLayers.Name(-1, 3));
    }
}
