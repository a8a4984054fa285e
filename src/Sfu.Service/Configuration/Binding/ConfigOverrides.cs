using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration.Binding;

/// <summary>One value from the environment or the command line, aimed at a key path in one of the two files.</summary>
internal sealed record ConfigOverride(bool Media, string[] Path, string Value, ConfigSource Source);

/// <summary>
/// Turns <c>SFU__SECTION__KEY=value</c> variables and <c>--set section.key=value</c> arguments into
/// <see cref="ConfigOverride"/>s and grafts them onto the file trees, so they are validated by the
/// same binders as the files. Paths are case-insensitive; a first segment <c>media</c> selects media.yaml.
/// </summary>
internal static class ConfigOverrides
{
    public const string EnvironmentPrefix = "SFU__";

    public static IEnumerable<ConfigOverride> FromEnvironment(IReadOnlyDictionary<string, string?> environment, List<string> warnings)
    {
        // Sorted so that two spellings of one key (SFU__A and sfu__a) resolve the same way on every run.
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (value is null || !name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var source = ConfigSource.Environment(name);
            var segments = name[EnvironmentPrefix.Length..].Split("__");
            if (Split(segments) is not { } target)
            {
                warnings.Add($"{source.Label}: not a key path (expected SFU__SECTION__KEY), ignored");
                continue;
            }

            yield return new ConfigOverride(target.Media, target.Path, value, source);
        }
    }

    public static IEnumerable<ConfigOverride> FromCommandLine(IReadOnlyList<string> overrides)
    {
        foreach (var argument in overrides)
        {
            var source = ConfigSource.CommandLine(argument);
            var equals = argument.IndexOf('=');
            if (equals < 0)
            {
                throw new ConfigException($"{source.Label}: expected path=value, e.g. --set webrtc.udp_port=0");
            }

            if (Split(argument[..equals].Trim().Split('.')) is not { } target)
            {
                throw new ConfigException($"{source.Label}: expected a key path like webrtc.udp_port before '='");
            }

            yield return new ConfigOverride(target.Media, target.Path, argument[(equals + 1)..], source);
        }
    }

    /// <summary>Sets the override's value in <paramref name="root"/>, creating sections on the way.</summary>
    public static void Apply(MapNode root, ConfigOverride change)
    {
        var map = root;
        for (var i = 0; i < change.Path.Length - 1; i++)
        {
            var key = change.Path[i];
            switch (map.Find(key)?.Value)
            {
                case MapNode section:
                    map = section;
                    break;
                case SequenceNode:
                    var listPath = string.Join('.', change.Path[..(i + 1)]);
                    throw new ConfigException(
                        $"{change.Source.Label}: {listPath}: is a list; override the whole list, e.g. {listPath}=[...]");
                default:
                    var created = new MapNode(change.Source, 0);
                    map.Set(key, 0, created);
                    map = created;
                    break;
            }
        }

        map.Set(change.Path[^1], 0, new ScalarNode(change.Source, 0, change.Value, quoted: true));
    }

    private static (bool Media, string[] Path)? Split(string[] segments)
    {
        if (segments.Length == 0 || segments.Any(s => s.Trim().Length == 0))
        {
            return null;
        }

        var path = segments.Select(s => s.Trim().ToLowerInvariant()).ToArray();
        if (path[0] == "media")
        {
            return path.Length > 1 ? (true, path[1..]) : null;
        }

        return (false, path);
    }
}
