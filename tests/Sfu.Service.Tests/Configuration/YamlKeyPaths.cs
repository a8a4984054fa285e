using Sfu.Service.Configuration.Yaml;

namespace Sfu.Service.Tests.Configuration;

internal static class YamlKeyPaths
{
    /// <summary>Key paths of a file's leaves; keys inside list items appear as <c>list[].key</c>.</summary>
    public static IEnumerable<string> Leaves(string yamlPath)
    {
        var root = YamlTreeReader.Read(File.ReadAllText(yamlPath), ConfigSource.File(yamlPath));
        return Walk(root!, "").Distinct();

        static IEnumerable<string> Walk(ConfigNode node, string path) => node switch
        {
            MapNode map => map.Entries.SelectMany(e => Walk(e.Value, path.Length == 0 ? e.Key : path + "." + e.Key)),
            SequenceNode { Items: [MapNode, ..] } list => list.Items.SelectMany(i => Walk(i, path + "[]")),
            _ => [path],
        };
    }
}
