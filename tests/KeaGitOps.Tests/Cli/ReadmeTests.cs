using System.Text.RegularExpressions;
using KeaGitOps.Cli.Commands;
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

    [Fact]
    public void Every_inventory_key_of_the_schema_appears_in_the_README()
    {
        var schema = JObject.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "schemas", "inventory.schema.json")));
        var keys = schema.Descendants().OfType<JProperty>()
            .Where(p => p.Name == "properties" && p.Value is JObject)
            .SelectMany(p => ((JObject)p.Value).Properties().Select(k => k.Name))
            .Distinct()
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains(key, Readme, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"<!-- rules:begin[^>]*-->(.*?)<!-- rules:end -->", RegexOptions.Singleline)]
    private static partial Regex RulesBlock();
}
