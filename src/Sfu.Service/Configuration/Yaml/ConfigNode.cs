namespace Sfu.Service.Configuration.Yaml;

/// <summary>
/// Where a value came from: a file, an environment variable or a <c>--set</c> argument. Every error
/// and warning starts with <see cref="Label"/>, so the operator knows which of the three to fix.
/// </summary>
internal sealed record ConfigSource(string Label, ConfigSourceKind Kind)
{
    public bool IsOverride => Kind != ConfigSourceKind.File;

    public static ConfigSource File(string path) => new(path, ConfigSourceKind.File);

    public static ConfigSource Environment(string variable) => new("env " + variable, ConfigSourceKind.Environment);

    /// <summary>Control characters are escaped so the label, and every message using it, stays on one line.</summary>
    public static ConfigSource CommandLine(string argument) =>
        new("--set " + argument.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t"), ConfigSourceKind.CommandLine);
}

internal enum ConfigSourceKind
{
    File,
    Environment,
    CommandLine,
}

/// <summary>
/// The raw tree a YAML file (plus overrides) becomes before binding. Our own tree rather than
/// YamlDotNet's so that overrides can be grafted in and every node remembers its source.
/// </summary>
internal abstract class ConfigNode(ConfigSource source, int line)
{
    public ConfigSource Source { get; } = source;

    /// <summary>1-based line in the file; 0 for overrides.</summary>
    public int Line { get; } = line;

    public abstract string Kind { get; }
}

internal sealed class ScalarNode(ConfigSource source, int line, string? value, bool quoted) : ConfigNode(source, line)
{
    /// <summary>Null for YAML null (an empty value, <c>~</c> or <c>null</c>), which means "use the default".</summary>
    public string? Value { get; } = value;

    /// <summary>Quoted scalars are never null: <c>key: ""</c> is an empty string, <c>key:</c> is the default.</summary>
    public bool Quoted { get; } = quoted;

    public override string Kind => Value is null ? "null" : "a scalar";
}

internal sealed class MapNode(ConfigSource source, int line) : ConfigNode(source, line)
{
    private readonly List<MapEntry> entries = [];

    public IReadOnlyList<MapEntry> Entries => entries;

    public override string Kind => "a mapping";

    public MapEntry? Find(string key) => entries.Find(e => e.Key == key);

    /// <summary>Adds or replaces; replacing keeps the original position so warnings stay in file order.</summary>
    public void Set(string key, int keyLine, ConfigNode value)
    {
        var index = entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            entries[index] = entries[index] with { Value = value };
        }
        else
        {
            entries.Add(new MapEntry(key, keyLine, value));
        }
    }
}

internal sealed record MapEntry(string Key, int KeyLine, ConfigNode Value);

internal sealed class SequenceNode(ConfigSource source, int line, IReadOnlyList<ConfigNode> items) : ConfigNode(source, line)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Kind => "a list";
}
