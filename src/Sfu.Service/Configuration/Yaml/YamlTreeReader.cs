using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sfu.Service.Configuration.Yaml;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree, reading parser events directly so that
/// duplicate keys, multiple documents and parser failures all come back with a line number.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Returns null for a document with no content (empty file, comments only).</summary>
    /// <exception cref="YamlSyntaxException">The text is not valid YAML, or holds something a config file cannot.</exception>
    public static ConfigNode? Read(string text, ConfigSource source)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, ConfigNode>();
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, source, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                throw new YamlSyntaxException((int)(parser.Current?.Start.Line ?? 0), (int)(parser.Current?.Start.Column ?? 0),
                    "expected one YAML document, found a second one (remove the '---')");
            }

            return root is ScalarNode { Value: null } ? null : root;
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException((int)e.Start.Line, (int)e.Start.Column, Reason(e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1's scanner throws this bare, without a position, for some unclosed
            // flow collections such as "a: [1, 2\nb: 3"; the last event it produced is the best place we know.
            var at = parser.Current?.Start;
            throw new YamlSyntaxException((int)(at?.Line ?? 1), (int)(at?.Column ?? 1),
                "the YAML parser gave up after this point (an unclosed '[', '{' or quote?)");
        }
    }

    private static ConfigNode ReadNode(IParser parser, ConfigSource source, Dictionary<string, ConfigNode> anchors)
    {
        var line = (int)parser.Current!.Start.Line;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // A copy, so that an override grafted into one alias of a mapping does not change the others.
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? Copy(target)
                : throw new YamlSyntaxException(line, (int)alias.Start.Column, $"unknown alias *{alias.Value.Value}");
        }

        ConfigNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                or ScalarStyle.Literal or ScalarStyle.Folded;
            var isNull = !quoted && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
            node = new ScalarNode(source, line, isNull ? null : scalar.Value, quoted);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, source, anchors));
            }

            node = new SequenceNode(source, line, items);
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            anchor = mappingStart.Anchor;
            var map = new MapNode(source, line);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!.Start;
                if (!parser.TryConsume<Scalar>(out var key))
                {
                    throw new YamlSyntaxException((int)keyStart.Line, (int)keyStart.Column, "keys must be plain names");
                }

                if (map.Find(key.Value) is { } previous)
                {
                    throw new YamlSyntaxException((int)keyStart.Line, (int)keyStart.Column,
                        $"duplicate key \"{key.Value}\" (first at line {previous.KeyLine})");
                }

                map.Set(key.Value, (int)keyStart.Line, ReadNode(parser, source, anchors));
            }

            node = map;
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static ConfigNode Copy(ConfigNode node)
    {
        switch (node)
        {
            case MapNode map:
                var copy = new MapNode(map.Source, map.Line);
                foreach (var entry in map.Entries)
                {
                    copy.Set(entry.Key, entry.KeyLine, Copy(entry.Value));
                }

                return copy;
            case SequenceNode sequence:
                return new SequenceNode(sequence.Source, sequence.Line, sequence.Items.Select(Copy).ToList());
            default:
                return node;
        }
    }

    private static string Reason(string message)
    {
        var oneLine = message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return oneLine.Length > 0 ? char.ToLowerInvariant(oneLine[0]) + oneLine[1..] : "invalid YAML";
    }
}

internal sealed class YamlSyntaxException(int line, int column, string reason) : Exception(reason)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
