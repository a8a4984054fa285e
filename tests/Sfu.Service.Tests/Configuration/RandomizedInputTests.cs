using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Configuration;

/// <summary>Damaged files must end in a loaded config or a one-line ConfigException, never anything else.</summary>
public class RandomizedInputTests
{
    private const string Alphabet = " \n\t:-[]{},#&*!|>'\"%@`?x0123456789.=_";

    [Fact]
    public void Truncated_and_mutated_shipped_files_give_a_config_or_a_one_line_error()
    {
        var random = new Random(20261124);
        var webRtc = File.ReadAllText(Path.Combine(RepositoryFiles.ConfigDirectory, "webrtc.yaml"));
        var media = File.ReadAllText(Path.Combine(RepositoryFiles.ConfigDirectory, "media.yaml"));
        using var dir = new TempConfigDirectory();
        var outcomes = new Dictionary<string, int> { ["loaded"] = 0, ["error"] = 0 };

        for (var i = 0; i < 1000; i++)
        {
            var (target, source) = i % 2 == 0 ? (dir.WebRtcFile, webRtc) : (dir.MediaFile, media);
            File.WriteAllText(dir.WebRtcFile, i % 2 == 0 ? Mutate(source, random) : webRtc);
            File.WriteAllText(dir.MediaFile, i % 2 == 1 ? Mutate(source, random) : media);
            try
            {
                dir.Load();
                outcomes["loaded"]++;
            }
            catch (ConfigException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.StartsWith(target + ": ", e.Message);
                outcomes["error"]++;
            }
        }

        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        Assert.True(outcomes["loaded"] > 50, $"loaded {outcomes["loaded"]}");
        Assert.True(outcomes["error"] > 50, $"errors {outcomes["error"]}");
    }

    [Fact]
    public void Random_override_values_give_a_config_or_a_one_line_error()
    {
        var random = new Random(7);
        using var dir = new TempConfigDirectory("", "");
        string[] paths =
        [
            "server.port", "server.tls", "webrtc.ice_servers", "webrtc.announced_ip", "webrtc.simulcast", "cluster.seed_nodes",
            "media.codecs.video", "media.video.preferred_resolution", "media.video.quality_levels", "logging.level",
        ];

        for (var i = 0; i < 1000; i++)
        {
            var path = paths[random.Next(paths.Length)];
            var argument = path + "=" + RandomText(random, random.Next(0, 24));
            try
            {
                dir.Load(null, argument);
            }
            catch (ConfigException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.StartsWith("--set " + path + "=", e.Message);
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return text[..random.Next(text.Length)];
            case 1:
                var chars = text.ToCharArray();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
                }

                return new string(chars);
            default:
                var at = random.Next(text.Length);
                return text[..at] + RandomText(random, random.Next(1, 8)) + text[at..];
        }
    }

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
}
