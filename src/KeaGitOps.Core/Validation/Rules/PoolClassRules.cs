using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// The classes a pool is restricted to: each is defined under the top-level client-classes or is one of
/// Kea's built-in classes (a misspelt class leaves the pool to nobody, and the combined class keagitops
/// renders for the HA split can name only defined classes), and none is an HA scope class keagitops adds.
/// </summary>
public sealed partial class PoolClassRules : IInventoryRule
{
    /// <summary>Classes Kea assigns itself (Kea 3.0.4 client_class_def.cc builtinNames), and the prefixes of those it names by pattern.</summary>
    private static readonly HashSet<string> BuiltIn = new(StringComparer.Ordinal) { "ALL", "KNOWN", "UNKNOWN", "BOOTP", "DROP" };

    private static readonly string[] BuiltInPrefixes = ["VENDOR_CLASS_", "AFTER_", "EXTERNAL_"];

    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        List<string>? defined = null;
        Dictionary<string, List<string>>? scoped = null;
        var loadBalancing = SubnetPlan.LoadBalancingServers(inventory) is not null;
        var takesList = inventory.Kea.Version.TakesPoolClientClasses();
        foreach (var pool in inventory.AllSubnets.SelectMany(s => s.Pools))
        {
            // The same condition as Rendering.PoolClasses.Guard: when the classes end up inside a combined test.
            var combined = loadBalancing || (!takesList && pool.ClientClasses.Count > 1);
            foreach (var (name, at) in pool.ClientClasses)
            {
                if (combined && name.Contains('\''))
                {
                    diagnostics.Add(DiagnosticCatalogue.PoolClassQuote(at, name));
                }

                if (name.StartsWith(PoolClasses.ScopePrefix, StringComparison.Ordinal))
                {
                    diagnostics.Add(DiagnosticCatalogue.PoolScopeClass(at, name));
                    continue;
                }

                defined ??= DefinedClasses(inventory);
                scoped ??= ScopedClasses(inventory);
                if (scoped.TryGetValue(name, out var scopes))
                {
                    // A scope of this pair: keagitops's split makes half the pool unreachable. Any other: no client is ever in it.
                    var pair = inventory.Servers.Select(s => PoolClasses.ScopePrefix + s.Name).ToList();
                    diagnostics.Add(scopes.Exists(pair.Contains)
                        ? DiagnosticCatalogue.PoolScopeClassInside(at, name)
                        : DiagnosticCatalogue.PoolClassOfNoScope(at, name, scopes[0], inventory.Servers.Select(s => s.Name).ToList()));
                }
                else if (!BuiltIn.Contains(name) && !BuiltInPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) && !defined.Contains(name, StringComparer.Ordinal))
                {
                    diagnostics.Add(DiagnosticCatalogue.PoolClassNotDefined(at, name, Spelling.Closest(name, defined), defined));
                }
            }
        }
    }

    /// <summary>Defined classes whose test names an HA scope class (a hand-written split, <c>member('X') and member('HA_s')</c>), with the scope classes each names.</summary>
    private static Dictionary<string, List<string>> ScopedClasses(InventoryModel inventory)
    {
        var scoped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var definition in Definitions(inventory))
        {
            if (Name(definition) is { } name && definition.Find("test")?.Value is ScalarNode { } test
                && ScopeMember().Matches(test.Value) is { Count: > 0 } matches)
            {
                scoped.TryAdd(name, [.. matches.Select(m => m.Groups[1].Value)]);
            }
        }

        return scoped;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"member\('(HA_[^']*)'\)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ScopeMember();

    /// <summary>The names of the classes defined under the top-level client-classes (Kea's key), in order.</summary>
    public static List<string> DefinedClasses(InventoryModel inventory) => [.. Definitions(inventory).Select(Name).OfType<string>()];

    /// <summary>The class definitions under the top-level client-classes (Kea's key).</summary>
    private static IEnumerable<MappingNode> Definitions(InventoryModel inventory) =>
        inventory.KeaKeys.FirstOrDefault(e => e.Key.Value == "client-classes")?.Value is SequenceNode classes ? classes.Items.OfType<MappingNode>() : [];

    private static string? Name(MappingNode definition) => (definition.Find("name")?.Value as ScalarNode)?.Value;
}
