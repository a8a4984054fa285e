using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration.Binding;

/// <summary>
/// Shared state while binding one file: the warnings so far, and which source set each key, so a
/// cross-field error can name the file or override that actually holds the offending value.
/// </summary>
internal sealed class BindContext(ConfigSource file, List<string> warnings)
{
    private readonly Dictionary<string, ConfigSource> sources = [];

    public ConfigSource File { get; } = file;

    public void Warn(string message) => warnings.Add(message);

    public void Record(string path, ConfigSource source) => sources[path] = source;

    public ConfigSource? TrySourceOf(string path) => sources.GetValueOrDefault(path);

    /// <summary>The source of the first of <paramref name="paths"/> that was set explicitly, else the file.</summary>
    public ConfigSource SourceOf(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (sources.TryGetValue(path, out var source))
            {
                return source;
            }
        }

        return File;
    }

    public static ConfigException Error(ConfigSource source, string path, string reason) =>
        new($"{source.Label}: {path}: {reason}");
}
