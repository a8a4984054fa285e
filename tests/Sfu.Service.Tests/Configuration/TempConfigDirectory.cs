using Sfu.Service.Configuration;

namespace Sfu.Service.Tests.Configuration;

/// <summary>A throw-away config directory; files are written only when given.</summary>
internal sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory(string? webRtcYaml = null, string? mediaYaml = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sfu-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (webRtcYaml is not null)
        {
            File.WriteAllText(WebRtcFile, webRtcYaml);
        }

        if (mediaYaml is not null)
        {
            File.WriteAllText(MediaFile, mediaYaml);
        }
    }

    public string Path { get; }

    public string WebRtcFile => System.IO.Path.Combine(Path, "webrtc.yaml");

    public string MediaFile => System.IO.Path.Combine(Path, "media.yaml");

    public SfuConfigLoadResult Load(IReadOnlyDictionary<string, string?>? environment = null, params string[] overrides) =>
        SfuConfigLoader.Load(Path, environment ?? new Dictionary<string, string?>(), overrides);

    public string LoadError(IReadOnlyDictionary<string, string?>? environment = null, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Load(environment, overrides)).Message;

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static IReadOnlyDictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}

/// <summary>Finds the repository's shipped config/ and docs/ from the test binary's directory.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string ConfigDirectory => Path.Combine(Root, "config");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sfu.sln")) || File.Exists(Path.Combine(dir.FullName, "Sfu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Sfu.sln) not found above " + AppContext.BaseDirectory);
    }
}
