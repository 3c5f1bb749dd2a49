using System.Text.RegularExpressions;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Tests.Support;
using Newtonsoft.Json.Linq;

namespace KeaGitOps.Tests.Cli;

/// <summary>The README documents what the code does: the rule catalogue and every inventory key.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));

    [Fact]
    public void The_README_rule_catalogue_is_the_one_keagitops_rules_prints()
    {
        var block = RulesBlock().Match(Readme);

        Assert.True(block.Success, "README.md lacks the <!-- rules:begin --> … <!-- rules:end --> block");
        Assert.Equal(RulesCommand.Catalogue().Trim(), block.Groups[1].Value.Trim());
    }

    /// <summary>ISC Stork's config review checkers for Kea (backend/server/configreview, Stork 2.5).</summary>
    private static readonly string[] StorkCheckers =
    [
        "stat_cmds_presence", "lease_cmds_presence", "host_cmds_presence", "dispensable_shared_network", "dispensable_subnet",
        "out_of_pool_reservation", "overlapping_subnet", "canonical_prefix", "ha_mt_presence", "ha_dedicated_ports",
        "address_pools_exhausted_by_reservations", "pd_pools_exhausted_by_reservations", "subnet_cmds_and_cb_mutual_exclusion",
        "statistics_unavailable_due_to_number_overflow", "agent_credentials_over_https", "ca_control_sockets",
    ];

    [Fact]
    public void Every_Stork_checker_is_matched_by_a_rule_or_explained_under_Stork_parity()
    {
        var matched = DiagnosticCatalogue.Rules.Where(r => r.Stork is not null).Select(r => r.Stork!).ToList();
        var parity = Readme.IndexOf("**Stork parity.**", StringComparison.Ordinal);

        Assert.NotEmpty(matched);
        Assert.All(matched, name => Assert.Contains(name, StorkCheckers));
        Assert.True(parity >= 0, "README.md lacks the **Stork parity.** note under the rule catalogue");
        Assert.All(StorkCheckers.Except(matched), name => Assert.Contains($"`{name}`", Readme[parity..], StringComparison.Ordinal));
    }

    /// <remarks>A key the schema marks deprecated (an older name still read) is described there only.</remarks>
    [Fact]
    public void Every_inventory_key_of_the_schema_is_a_key_of_the_READMEs_inventory_examples()
    {
        var schema = JObject.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "schemas", "inventory.schema.json")));
        var keys = schema.Descendants().OfType<JProperty>()
            .Where(p => p.Name == "properties" && p.Value is JObject)
            .SelectMany(p => ((JObject)p.Value).Properties().Where(k => k.Value["deprecated"]?.Value<bool>() != true).Select(k => k.Name))
            .Distinct()
            .ToList();
        var documented = InventoryExampleKeys();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(documented.Contains(key), $"'{key}' is not a key of any YAML example under the README's \"The inventory\" (a mention in a comment or in prose does not count)"));
    }

    /// <summary>Every mapping key of the YAML code blocks in the README's "The inventory" section, parsed as YAML.</summary>
    private static HashSet<string> InventoryExampleKeys()
    {
        var start = Readme.IndexOf("\n## The inventory", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md lacks the section \"## The inventory\"");
        var end = Readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = Readme[start..(end < 0 ? Readme.Length : end)];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match block in YamlBlock().Matches(section))
        {
            var stream = new YamlDotNet.RepresentationModel.YamlStream();
            stream.Load(new StringReader(block.Groups[1].Value));
            foreach (var node in stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlDotNet.RepresentationModel.YamlMappingNode>())
            {
                keys.UnionWith(node.Children.Keys.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Select(k => k.Value!));
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"<!-- rules:begin[^>]*-->(.*?)<!-- rules:end -->", RegexOptions.Singleline)]
    private static partial Regex RulesBlock();
}
