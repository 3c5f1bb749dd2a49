using System.Text;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea.Keys;

namespace KeaGitOps.Tests.Kea;

/// <summary>Kea JSON (with Kea's comments) read as inventory nodes, and the checker run over a whole config.</summary>
internal static class KeaKeyDocuments
{
    /// <summary>
    /// Reads Kea's JSON as YAML (a superset of JSON), so every node has its real line and column. Kea's
    /// comments (#, //, /* */) are blanked out first, keeping positions.
    /// </summary>
    public static MappingNode Read(string text, string displayPath)
    {
        var diagnostics = new DiagnosticBag();
        var node = YamlReader.Read(WithoutComments(text), displayPath, diagnostics);
        Assert.True(diagnostics.Items.Count == 0, string.Join("\n", diagnostics.Items));
        return Assert.IsType<MappingNode>(node);
    }

    /// <summary>Every problem in a whole kea-dhcp4 config (with the HA hook's relationships, KeaConfigKeys) or kea-ctrl-agent config.</summary>
    public static List<KeaKeyProblem> CheckConfig(KeaKeyTable table, MappingNode config)
    {
        var problems = new List<KeaKeyProblem>();
        foreach (var top in config.Entries)
        {
            var map = Assert.IsType<MappingNode>(top.Value);
            problems.AddRange(top.Key.Value switch
            {
                "Dhcp4" => KeaConfigKeys.CheckDhcp4(table, map),
                "Control-agent" => KeaKeyChecker.CheckMap(table, table.ControlAgent, map),
                _ => throw new InvalidOperationException($"unexpected top-level key {top.Key.Value} at {top.Key.Location}"),
            });
        }

        return problems;
    }

    /// <summary>The relationships in the parameters of every HA hook library of a Dhcp4 map.</summary>
    public static IEnumerable<MappingNode> HaRelationships(Node dhcp4) =>
        dhcp4 is MappingNode map ? KeaConfigKeys.HaRelationships(map) : [];

    private static string WithoutComments(string text)
    {
        var result = new StringBuilder(text);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                for (; i < text.Length && text[i] != '\n'; i++)
                {
                    result[i] = ' ';
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal) + 2;
                for (; i < end; i++)
                {
                    result[i] = text[i] == '\n' ? '\n' : ' ';
                }

                i--;
            }
        }

        return result.ToString();
    }
}
