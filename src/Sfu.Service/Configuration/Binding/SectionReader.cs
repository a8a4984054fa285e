using System.Globalization;
using System.Net;
using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Configuration.Binding;

/// <summary>
/// Reads the keys of one YAML mapping with their types and ranges. Each getter takes the default to
/// use when the key is absent or null; <see cref="Finish"/> then reports every key nobody asked for.
/// </summary>
internal sealed class SectionReader
{
    private readonly MapNode? map;
    private readonly string path;
    private readonly BindContext context;
    private readonly List<string> known = [];

    public SectionReader(MapNode? map, string path, BindContext context)
    {
        this.map = map;
        this.path = path;
        this.context = context;
    }

    public BindContext Context => context;

    public string PathOf(string key) => path.Length == 0 ? key : path + "." + key;

    public string String(string key, string @default, Func<string, string?>? validate = null)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var text = ScalarText(node, PathOf(key), "a string");
        return Validated(node, key, text, validate);
    }

    /// <summary>A string where absent, null and "" all mean "not set".</summary>
    public string? OptionalString(string key, Func<string, string?>? validate = null)
    {
        var value = String(key, "", validate);
        return value.Length == 0 ? null : value;
    }

    public int Int(string key, int @default, int min, int max)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var keyPath = PathOf(key);
        var text = ScalarText(node, keyPath, "an integer");
        if (!TryParseInteger(text, out var value))
        {
            throw BindContext.Error(node.Source, keyPath, $"expected an integer, got {Quote(text)}");
        }

        if (value < min || value > max)
        {
            throw BindContext.Error(node.Source, keyPath,
                $"{value.ToString(CultureInfo.InvariantCulture)} is out of range ({min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)})");
        }

        return (int)value;
    }

    public TimeSpan Seconds(string key, TimeSpan @default, int min, int max) =>
        TimeSpan.FromSeconds(Int(key, (int)@default.TotalSeconds, min, max));

    public TimeSpan Milliseconds(string key, TimeSpan @default, int min, int max) =>
        TimeSpan.FromMilliseconds(Int(key, (int)@default.TotalMilliseconds, min, max));

    public bool Bool(string key, bool @default)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var text = ScalarText(node, PathOf(key), "true or false");

        // YAML 1.1 spellings and 1/0 as well, because environment variables are often written that way.
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw BindContext.Error(node.Source, PathOf(key), $"expected true or false, got {Quote(text)}"),
        };
    }

    /// <summary>One of a fixed set of names, matched case-insensitively.</summary>
    public T Choice<T>(string key, T @default, params (string Name, T Value)[] choices)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var text = ScalarText(node, PathOf(key), "a name");
        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var names = string.Join(", ", choices.Select(c => c.Name));
        throw BindContext.Error(node.Source, PathOf(key), $"expected one of {names}, got {Quote(text)}");
    }

    public IPAddress? IpAddress(string key, IPAddress? @default)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var text = ScalarText(node, PathOf(key), "an IP address");
        if (text.Length == 0)
        {
            return null;
        }

        // IPAddress.TryParse takes "10" as 0.0.0.10; an operator who wrote that meant something else.
        var wellFormed = text.Contains(':') || text.Count(c => c == '.') == 3;
        return wellFormed && IPAddress.TryParse(text, out var address)
            ? address
            : throw BindContext.Error(node.Source, PathOf(key), $"expected an IP address, got {Quote(text)}");
    }

    public SectionReader Section(string key)
    {
        var node = Take(key);
        var keyPath = PathOf(key);
        return new SectionReader(node is null ? null : AsMap(node, keyPath), keyPath, context);
    }

    public ValueList<T> List<T>(string key, ValueList<T> @default, Func<ConfigNode, string, T> bindItem)
    {
        if (Take(key) is not { } node)
        {
            return @default;
        }

        var keyPath = PathOf(key);
        var items = AsList(node, keyPath);
        return new ValueList<T>(items.Select((item, i) => bindItem(item, $"{keyPath}[{i}]")));
    }

    public ValueList<string> StringList(string key, ValueList<string> @default, Func<string, string?>? validate = null) =>
        List(key, @default, (item, itemPath) => Validated(item, itemPath, ScalarText(item, itemPath, "a string"), validate, isPath: true));

    /// <summary>A mapping inside a list, read with its own unknown-key check.</summary>
    public SectionReader ItemSection(ConfigNode item, string itemPath) => new(AsMap(item, itemPath), itemPath, context);

    /// <summary>Warns about (or, for <c>--set</c>, rejects) every key that no getter asked for.</summary>
    public void Finish()
    {
        if (map is null)
        {
            return;
        }

        foreach (var entry in map.Entries)
        {
            if (known.Contains(entry.Key))
            {
                continue;
            }

            var hint = Closest(entry.Key) is { } guess ? $"did you mean \"{guess}\"?" : null;
            var source = entry.Value.Source;
            if (source.Kind == ConfigSourceKind.CommandLine)
            {
                throw BindContext.Error(source, PathOf(entry.Key), "unknown key" + (hint is null ? "" : "; " + hint));
            }

            var details = string.Join("; ", new[] { entry.KeyLine > 0 && !source.IsOverride ? $"line {entry.KeyLine}" : null, hint }
                .Where(d => d is not null));
            context.Warn($"{source.Label}: {PathOf(entry.Key)}: unknown key, ignored" + (details.Length > 0 ? $" ({details})" : ""));
        }
    }

    /// <summary>An error about <paramref name="key"/>, blamed on whoever set it, else on whoever wrote this section.</summary>
    public ConfigException Error(string key, string reason) =>
        BindContext.Error(context.TrySourceOf(PathOf(key)) ?? map?.Source ?? context.File, PathOf(key), reason);

    private ConfigNode? Take(string key)
    {
        known.Add(key);
        if (map?.Find(key) is not { } entry || entry.Value is ScalarNode { Value: null })
        {
            return null;
        }

        context.Record(PathOf(key), entry.Value.Source);
        return entry.Value;
    }

    private string Validated(ConfigNode node, string keyOrPath, string text, Func<string, string?>? validate, bool isPath = false)
    {
        if (validate?.Invoke(text) is { } reason)
        {
            throw BindContext.Error(node.Source, isPath ? keyOrPath : PathOf(keyOrPath), reason);
        }

        return text;
    }

    private static string ScalarText(ConfigNode node, string keyPath, string expected) => node switch
    {
        ScalarNode { Value: { } text } => text,
        ScalarNode => "",
        _ => throw BindContext.Error(node.Source, keyPath, $"expected {expected}, got {node.Kind}"),
    };

    private static MapNode AsMap(ConfigNode node, string keyPath) => Structured(node, keyPath) switch
    {
        MapNode map => map,
        ScalarNode { Value: { } text } => throw BindContext.Error(node.Source, keyPath, $"expected a mapping, got {Quote(text)}"),
        var other => throw BindContext.Error(node.Source, keyPath, $"expected a mapping, got {other.Kind}"),
    };

    private static IReadOnlyList<ConfigNode> AsList(ConfigNode node, string keyPath)
    {
        if (node is ScalarNode { Source.IsOverride: true, Value: { } text } && !text.TrimStart().StartsWith('['))
        {
            // SFU__CLUSTER__ROLES=a,b: a comma-separated override is a list of strings.
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(part => (ConfigNode)new ScalarNode(node.Source, 0, part, true))
                .ToList();
        }

        return Structured(node, keyPath) switch
        {
            SequenceNode sequence => sequence.Items,
            ScalarNode { Value: { } value } => throw BindContext.Error(node.Source, keyPath, $"expected a list, got {Quote(value)}"),
            var other => throw BindContext.Error(node.Source, keyPath, $"expected a list, got {other.Kind}"),
        };
    }

    /// <summary>
    /// Overrides arrive as text; where a list or mapping is expected that text is read as YAML
    /// flow syntax (<c>[a, b]</c>, <c>{cert: x, key: y}</c>).
    /// </summary>
    private static ConfigNode Structured(ConfigNode node, string keyPath)
    {
        if (node is not ScalarNode { Source.IsOverride: true, Value: { } text })
        {
            return node;
        }

        try
        {
            return YamlTreeReader.Read(text, node.Source) ?? new SequenceNode(node.Source, 0, []);
        }
        catch (YamlSyntaxException e)
        {
            throw BindContext.Error(node.Source, keyPath, $"invalid YAML value: {e.Reason}");
        }
    }

    private string? Closest(string unknown)
    {
        var best = known.Select(k => (Key: k, Distance: EditDistance(unknown, k))).MinBy(p => p.Distance);
        return best.Key is not null && best.Distance <= Math.Max(1, unknown.Length / 3) ? best.Key : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var span = text.AsSpan().Trim();
        var negative = false;
        if (span.Length > 0 && span[0] is '-' or '+')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        // Underscores between digits (2_500_000) are YAML 1.1 integers and read well for bitrates.
        if (span.Length == 0 || !char.IsAsciiDigit(span[0]) || !char.IsAsciiDigit(span[^1]))
        {
            return false;
        }

        foreach (var c in span)
        {
            if (c == '_')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            // Clamp instead of overflowing: anything this large is out of range anyway.
            value = Math.Min(value * 10 + (c - '0'), 1_000_000_000_000L);
        }

        value = negative ? -value : value;
        return true;
    }

    public static string Quote(string text) =>
        "\"" + (text.Length > 60 ? text[..60] + "..." : text).Replace("\\", "\\\\").Replace("\"", "\\\"").ReplaceLineEndings("\\n") + "\"";
}
