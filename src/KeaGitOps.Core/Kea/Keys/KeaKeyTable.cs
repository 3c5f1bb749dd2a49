using System.Text.Json;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Kea.Keys;

/// <summary>
/// Kea's own keys and value kinds for one version, for every map of kea-dhcp4's and kea-ctrl-agent's
/// configs and the HA hook's parameters. The tables are derived from Kea's sources at the release tag
/// by scripts/kea-keys/derive.py and embedded (Data/kea-keys-*.json); each loads once, on first use.
/// </summary>
public sealed class KeaKeyTable
{
    private static readonly Dictionary<KeaVersion, Lazy<KeaKeyTable>> Tables =
        KeaVersions.All.ToDictionary(v => v.Version, v => new Lazy<KeaKeyTable>(() => Load(v.Version, v.Name)));

    private readonly Dictionary<string, KeaKeyScope> scopes;

    private KeaKeyTable(KeaVersion version, string source, Dictionary<string, KeaKeyScope> scopes, string dhcp4, string controlAgent, string highAvailability)
    {
        Version = version;
        Source = source;
        this.scopes = scopes;
        Dhcp4 = Scope(dhcp4);
        ControlAgent = Scope(controlAgent);
        HighAvailability = Scope(highAvailability);
        ScopeNames = [.. scopes.Keys.Order(StringComparer.Ordinal)];
    }

    public KeaVersion Version { get; }

    /// <summary>Where the table comes from: the Kea release tag and the files read there.</summary>
    public string Source { get; }

    /// <summary>The keys of kea-dhcp4's "Dhcp4" map.</summary>
    public KeaKeyScope Dhcp4 { get; }

    /// <summary>The keys of kea-ctrl-agent's "Control-agent" map.</summary>
    public KeaKeyScope ControlAgent { get; }

    /// <summary>One relationship in the HA hook's "high-availability" list.</summary>
    public KeaKeyScope HighAvailability { get; }

    /// <summary>Every scope's name, sorted.</summary>
    public IReadOnlyCollection<string> ScopeNames { get; }

    public static KeaKeyTable For(KeaVersion version) =>
        Tables.TryGetValue(version, out var table)
            ? table.Value
            : throw new ArgumentOutOfRangeException(nameof(version), version, "no Kea key table for this version");

    /// <summary>The scope named <paramref name="name"/> (a <see cref="KeaKeyType.ElementScope"/>, or Kea's name of a map).</summary>
    public KeaKeyScope Scope(string name) =>
        scopes.TryGetValue(name, out var scope)
            ? scope
            : throw new ArgumentException($"the Kea {Version.Name()} key table has no scope '{name}'; it has: {string.Join(", ", ScopeNames)}", nameof(name));

    private static KeaKeyTable Load(KeaVersion version, string name)
    {
        var resource = $"kea-keys/kea-keys-{name}.json";
        using var stream = typeof(KeaKeyTable).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the Kea key table {resource} is not embedded in {typeof(KeaKeyTable).Assembly.GetName().Name}");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var descriptions = root.GetProperty("descriptions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        var scopes = new Dictionary<string, KeaKeyScope>(StringComparer.Ordinal);
        foreach (var scope in root.GetProperty("scopes").EnumerateObject())
        {
            var types = new Dictionary<string, KeaKeyType>(StringComparer.Ordinal);
            foreach (var key in scope.Value.GetProperty("keys").EnumerateObject())
            {
                types[key.Name] = ReadType(resource, scope.Name, key.Name, key.Value);
            }

            var takesOneKey = scope.Value.TryGetProperty("single-key", out var single) && single.GetBoolean();
            var takesOtherKeys = scope.Value.TryGetProperty("other-keys", out var other) && other.GetBoolean();
            scopes[scope.Name] = new KeaKeyScope(scope.Name, descriptions.GetValueOrDefault(scope.Name, scope.Name), takesOneKey, takesOtherKeys, types);
        }

        var roots = root.GetProperty("roots");
        var table = new KeaKeyTable(version, root.GetProperty("source").GetString()!, scopes,
            roots.GetProperty(nameof(Dhcp4)).GetString()!, roots.GetProperty("Control-agent").GetString()!, roots.GetProperty("high-availability").GetString()!);
        foreach (var scope in scopes.Values)
        {
            foreach (var key in scope.Keys)
            {
                scope.TryGet(key, out var type);
                if (type.ElementScope is { } element && !scopes.ContainsKey(element))
                {
                    throw new InvalidOperationException($"{resource}: '{key}' in {scope.Name} names the scope '{element}', which the table lacks");
                }
            }
        }

        return table;
    }

    /// <summary>
    /// A key's entry: the kinds it takes, each with its detail (element scope, enumeration, or Kea's reason
    /// for refusing it). Exactly one kind is taken; the generator fails on anything this reader cannot hold.
    /// </summary>
    private static KeaKeyType ReadType(string resource, string scope, string key, JsonElement entry)
    {
        var kinds = entry.GetProperty("kinds");
        KeaKeyType? taken = null;
        var refused = new Dictionary<KeaValueKind, string>();
        foreach (var kind in kinds.EnumerateObject())
        {
            if (!Enum.TryParse<KeaValueKind>(kind.Name, out var parsed))
            {
                throw new InvalidOperationException($"{resource}: '{key}' in {scope} takes the kind '{kind.Name}', which keagitops does not know");
            }

            if (kind.Value.TryGetProperty("refused", out var reason))
            {
                refused[parsed] = reason.GetString()!;
                continue;
            }

            if (taken is not null)
            {
                throw new InvalidOperationException($"{resource}: '{key}' in {scope} takes both {taken.Kind} and {parsed}, which this reader cannot hold");
            }

            taken = new KeaKeyType(parsed, kind.Value.TryGetProperty("scope", out var element) ? element.GetString() : null)
            {
                Values = Strings(kind.Value, "values"),
                ValuesInAnyCase = Strings(kind.Value, "values-any-case"),
            };
        }

        if (taken is null)
        {
            throw new InvalidOperationException($"{resource}: '{key}' in {scope} takes no kind at all");
        }

        return taken with { Refused = refused, Excludes = Strings(entry, "excludes") };
    }

    private static string[] Strings(JsonElement detail, string field) =>
        detail.TryGetProperty(field, out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}
