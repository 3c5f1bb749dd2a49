using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Validation.Rules;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// The classes a rendered pool is guarded by. A pool restricted to classes (any of them, Kea 3.0's
/// reading of a pool's <c>client-classes</c>) is in load-balancing also split between the servers' HA
/// scopes, and a Kea pool cannot say "in class X and in this server's scope": 3.0's list matches any one
/// class and 2.x's <c>client-class</c> takes one. So keagitops defines one combined class per class set
/// and scope, <c>X+HA_server</c> with the test <c>member('X') and member('HA_server')</c>, after the
/// inventory's own classes (a member test names only classes defined before it). The HA hook assigns
/// <c>HA_server</c> in buffer4_receive, before Kea evaluates class tests (Kea 3.0.4 ha_impl.cc,
/// dhcp4_srv.cc), and Kea re-evaluates the combined class when a reservation assigns X.
/// A combined class carries <c>user-context.keagitops</c> so that import recognises it as derived.
/// </summary>
public static partial class PoolClasses
{
    /// <summary>The user-context key that marks a class keagitops derived.</summary>
    public const string Marker = KeaProvenance.Key;

    /// <summary>A combined class: the pool's classes (any of them) and the HA scope class (null outside load-balancing).</summary>
    public sealed record Combined(IReadOnlyList<string> Classes, string? Scope)
    {
        public string Name => string.Join('|', Classes) + (Scope is null ? string.Empty : "+" + Scope);

        public string Test
        {
            get
            {
                var any = Classes.Count == 1 ? Member(Classes[0]) : "(" + string.Join(" or ", Classes.Select(Member)) + ")";
                return Scope is null ? any : $"{any} and {Member(Scope)}";
            }
        }

        public JsonObject Definition()
        {
            var marker = new JsonObject { ["pool-classes"] = new JsonArray([.. Classes.Select(c => (JsonNode)JsonValue.Create(c))]) };
            if (Scope is not null)
            {
                marker["scope"] = Scope;
            }

            return new JsonObject
            {
                ["name"] = Name,
                ["test"] = Test,
                ["user-context"] = new JsonObject { [Marker] = marker },
            };
        }

        private static string Member(string name) => $"member('{name}')";
    }

    /// <summary>
    /// The class names Kea's pool (one half in load-balancing, <paramref name="scope"/> its HA class) is
    /// guarded by: none, the pool's classes as written where Kea reads a list of any, or one class,
    /// combined when needed (<paramref name="combined"/> collects those).
    /// </summary>
    public static IReadOnlyList<string> Guard(Pool pool, string? scope, bool takesList, ICollection<Combined>? combined)
    {
        var classes = pool.ClientClasses.Select(c => c.Value).ToList();
        if (classes.Count == 0)
        {
            return scope is null ? [] : [scope];
        }

        if (scope is null && (takesList || classes.Count == 1))
        {
            return classes;
        }

        var made = new Combined(classes, scope);
        combined?.Add(made);
        return [made.Name];
    }

    /// <summary>What a class definition of a rendered config stands for when keagitops combined it (its user-context.keagitops); null for any other class.</summary>
    public static Combined? Read(JsonElement definition) =>
        definition.ValueKind == JsonValueKind.Object
        && definition.TryGetProperty("user-context", out var context) && context.ValueKind == JsonValueKind.Object
        && context.TryGetProperty(Marker, out var marker) && marker.ValueKind == JsonValueKind.Object
        && marker.TryGetProperty("pool-classes", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
        && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? new Combined([.. list.EnumerateArray().Select(e => e.GetString()!)], marker.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String ? scope.GetString() : null)
            : null;

    /// <summary>
    /// A hand-written class "in X and in this server's scope" (<c>member('X') and member('HA_s')</c>, either
    /// order, nothing else in the definition: ISC's recipe for restricted pools in load-balancing), as the
    /// combined class keagitops would render; null for any other class.
    /// </summary>
    public static Combined? ReadHandWritten(JsonElement definition)
    {
        if (definition.ValueKind != JsonValueKind.Object || !definition.TryGetProperty("test", out var test) || test.ValueKind != JsonValueKind.String
            || definition.EnumerateObject().Any(m => m.Name is not ("name" or "test")) || MemberAndMember().Match(test.GetString()!) is not { Success: true } match)
        {
            return null;
        }

        var (first, second) = (match.Groups[1].Value, match.Groups[2].Value);
        var firstIsScope = first.StartsWith(ScopePrefix, StringComparison.Ordinal);
        return firstIsScope == second.StartsWith(ScopePrefix, StringComparison.Ordinal) ? null
            : firstIsScope ? new Combined([second], first) : new Combined([first], second);
    }

    /// <summary>
    /// The HA scope a class stands for when its test is only that scope's membership (<c>member('HA_s')</c>, as in
    /// ISC's all-keys example, whatever else the class sets); null for any other class. A pool guarded by such a
    /// class is pinned to one server, where keagitops splits every pool between both: import reads it as the
    /// pool's split, and keeps the class for what else it gives the scope's clients.
    /// </summary>
    public static string? ScopeOnly(JsonElement definition) =>
        definition.ValueKind == JsonValueKind.Object && definition.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.String
        && MemberOnly().Match(test.GetString()!) is { Success: true } match && match.Groups[1].Value.StartsWith(ScopePrefix, StringComparison.Ordinal)
            ? match.Groups[1].Value
            : null;

    [GeneratedRegex(@"^\s*member\('([^']+)'\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MemberOnly();

    /// <summary>The prefix of the classes the HA hook assigns (HA_ and the server's name): one server's scope.</summary>
    public const string ScopePrefix = "HA_";

    [GeneratedRegex(@"^\s*member\('([^']+)'\)\s+and\s+member\('([^']+)'\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MemberAndMember();

    /// <summary>The HA scope classes of the two load-balancing servers, primary first; null in other modes.</summary>
    public static (string First, string Second)? Scopes(InventoryModel inventory) =>
        SubnetPlan.LoadBalancingServers(inventory) is { } pair ? (ScopePrefix + pair.Lower.Name, ScopePrefix + pair.Upper.Name) : null;

    /// <summary>Every combined class the inventory's pools need, each once, in the order the pools name them.</summary>
    public static List<Combined> Of(InventoryModel inventory)
    {
        string?[] scopes = Scopes(inventory) is { } pair ? [pair.First, pair.Second] : [null];
        var takesList = inventory.Kea.Version.TakesPoolClientClasses();
        var all = new List<Combined>();
        foreach (var pool in inventory.AllSubnets.SelectMany(s => s.Pools).Where(p => p.ClientClasses.Count > 0))
        {
            foreach (var scope in scopes)
            {
                Guard(pool, scope, takesList, all);
            }
        }

        return [.. all.DistinctBy(c => c.Name, StringComparer.Ordinal)];
    }
}
