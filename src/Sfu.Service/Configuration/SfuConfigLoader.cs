using Sfu.Service.Configuration.Binding;
using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration;

/// <summary>
/// Loads <c>webrtc.yaml</c> and <c>media.yaml</c> from a directory, then applies environment
/// variables (<c>SFU__SERVER__PORT=9000</c>, <c>SFU__MEDIA__VIDEO__MAX_FRAMERATE=24</c>) and
/// <c>--set path=value</c> overrides, later ones winning: file, then environment, then command line.
/// </summary>
public static class SfuConfigLoader
{
    public const string WebRtcFileName = "webrtc.yaml";
    public const string MediaFileName = "media.yaml";

    /// <exception cref="ConfigException">Anything wrong; the message is one line naming file or override, key and reason.</exception>
    public static SfuConfigLoadResult Load(
        string configDirectory,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<string> overrides)
    {
        if (!Directory.Exists(configDirectory))
        {
            throw new ConfigException(
                $"{configDirectory}: configuration directory not found (full path {Path.GetFullPath(configDirectory)}; pick another with --config DIR)");
        }

        var warnings = new List<string>();
        var webRtcSource = ConfigSource.File(Path.Combine(configDirectory, WebRtcFileName));
        var mediaSource = ConfigSource.File(Path.Combine(configDirectory, MediaFileName));
        var webRtcRoot = ReadFile(webRtcSource, warnings);
        var mediaRoot = ReadFile(mediaSource, warnings);

        var changes = ConfigOverrides.FromEnvironment(environment, warnings).Concat(ConfigOverrides.FromCommandLine(overrides));
        foreach (var change in changes)
        {
            var root = change.Media ? mediaRoot : webRtcRoot;
            ConfigOverrides.Apply(root, change);
        }

        var config = WebRtcFileBinder.Bind(webRtcRoot, new BindContext(webRtcSource, warnings));
        var media = MediaFileBinder.Bind(mediaRoot, new BindContext(mediaSource, warnings));
        return new SfuConfigLoadResult(config with { Media = media }, warnings);
    }

    /// <summary>
    /// Loads from the process's command line (<c>--config DIR</c>, <c>--set path=value</c>, see
    /// <see cref="SfuCommandLine"/>) and environment.
    /// </summary>
    public static SfuConfigLoadResult Load(SfuCommandLine commandLine)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string;
        }

        return Load(commandLine.ConfigDirectory, environment, commandLine.Overrides);
    }

    private static MapNode ReadFile(ConfigSource source, List<string> warnings)
    {
        var empty = new MapNode(source, 0);
        string text;
        try
        {
            text = File.ReadAllText(source.Label);
        }
        catch (FileNotFoundException)
        {
            warnings.Add($"{source.Label}: file not found, every key in it takes its default");
            return empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{source.Label}: cannot read: {e.Message.ReplaceLineEndings(" ")}", e);
        }

        ConfigNode? root;
        try
        {
            root = YamlTreeReader.Read(text, source);
        }
        catch (YamlSyntaxException e)
        {
            throw new ConfigException($"{source.Label}: line {e.Line}, column {e.Column}: invalid YAML: {e.Reason}", e);
        }

        return root switch
        {
            null => empty,
            MapNode map => map,
            _ => throw new ConfigException($"{source.Label}: line {root.Line}: expected sections (a mapping) at the top level, got {root.Kind}"),
        };
    }
}
