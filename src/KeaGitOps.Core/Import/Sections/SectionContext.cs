using System.Text.Json;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// What the section readers of one server's configs share: the snapshot they fill, the one record of what
/// was not carried over (<see cref="ServerSnapshot.Notes"/>), and facts one section finds that another needs
/// (the Kea version's syntax, option definitions, the HA scope classes, Kea 2.2's subnet numbering).
/// </summary>
internal sealed class SectionContext(ServerSnapshot snapshot)
{
    public ServerSnapshot Snapshot => snapshot;

    /// <summary>The file being read: every note is about it.</summary>
    public KeaConfigFile File { get; set; } = KeaConfigFile.Dhcp4;

    /// <summary>Whether the config is written in Kea 3.0's syntax (else 2.2's).</summary>
    public bool BareNames { get; set; } = true;

    /// <summary>The Kea version the config's syntax says (KeaVersionSection).</summary>
    public Inventory.KeaVersion Version { get; set; } = Inventory.KeaVersion.V3_0;

    /// <summary>"space/name" of every global option-def in the config: options beside the standard ones that it defines.</summary>
    public HashSet<string> DefinedOptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The name of each global option-def by "space/code": an option given by code alone is named by it.</summary>
    public Dictionary<string, string> DefinedCodes { get; } = new(StringComparer.Ordinal);

    /// <summary>The last id Kea 2.2 gave a subnet without one.</summary>
    public long AutomaticSubnetIds { get; set; }

    public bool SharedNetworksHaveSubnets { get; set; }

    /// <summary>The HA scope classes of a load-balancing pair (HA_primary, HA_secondary), once the HA hook is read.</summary>
    public (string First, string Second)? Scopes { get; set; }

    /// <summary>
    /// The classes keagitops combined for class-restricted pools (marked user-context.keagitops in the
    /// config's client-classes), by name: the pool's own classes and the HA scope they were combined with.
    /// </summary>
    public Dictionary<string, (IReadOnlyList<string> Classes, string? Scope)> CombinedPoolClasses { get; } = new(StringComparer.Ordinal);

    /// <summary>Classes whose test is only one server's HA scope (<see cref="Rendering.PoolClasses.ScopeOnly"/>), by name, with that scope.</summary>
    public Dictionary<string, string> ScopeOnlyClasses { get; } = new(StringComparer.Ordinal);

    public void NotImported(string path, string why) => snapshot.Notes.Add(new ImportNote(File, path, NoteKind.NotImported, why));

    /// <summary>Left out because Kea does not apply it either.</summary>
    public void IgnoredByKea(string path, string why) => snapshot.Notes.Add(new ImportNote(File, path, NoteKind.NotImported, why) { IsIgnoredByKea = true });

    /// <summary>A secret left out (never a lost setting: the inventory names where Kea reads it instead).</summary>
    public void SecretLeftOut(string path, string why) => snapshot.Notes.Add(new ImportNote(File, path, NoteKind.NotImported, why) { IsSecret = true });

    public void Note(string path, string what) => snapshot.Notes.Add(new ImportNote(File, path, NoteKind.RenderedDifferently, what));

    public void Set(string key, YamlValue value) => snapshot.Settings.Add(new Setting(key, value));

    /// <summary>The string setting read so far (from kea-dhcp4.conf), or null.</summary>
    public string? SettingText(string key) => (snapshot.Settings.FindLast(s => s.Key == key)?.Value as YamlString)?.Value;

    /// <summary>
    /// Records every member of <paramref name="element"/> not in <paramref name="known"/> as not imported;
    /// false (and recorded as not imported) when it is not a JSON object: a hand-edited config may hold anything.
    /// </summary>
    public bool OnlyKnown(JsonElement element, string path, params string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            NotImported(path, $"expected a JSON object, found {element.ValueKind.ToString().ToLowerInvariant()}");
            return false;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                NotImported($"{path}.{member.Name}", "no inventory key for it");
            }
        }

        return true;
    }

    /// <summary>
    /// Like <see cref="OnlyKnown"/>, but a member not in <paramref name="known"/> is kept as Kea's own key
    /// (<paramref name="keep"/> gets its name and value), which the inventory takes as written; members in
    /// <paramref name="refused"/> are recorded as not imported, with why.
    /// </summary>
    public bool KeepKeaKeys(JsonElement element, string path, Action<string, YamlValue> keep, string[] known, IReadOnlyDictionary<string, string>? refused = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            NotImported(path, $"expected a JSON object, found {element.ValueKind.ToString().ToLowerInvariant()}");
            return false;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (known.Contains(member.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (refused is not null && refused.TryGetValue(member.Name, out var why))
            {
                NotImported($"{path}.{member.Name}", why);
            }
            else if (Validation.SecretKeys.IsSecretLike(member.Name))
            {
                SecretLeftOut($"{path}.{member.Name}", SecretWhy);
            }
            else
            {
                keep(member.Name, WithoutSecrets(member.Value, $"{path}.{member.Name}"));
            }
        }

        return true;
    }

    private const string SecretWhy = "a secret is never copied into the inventory (it lives in git): keep it in a file Kea reads (a *-file key, where Kea has one for it); where Kea has none (database passwords), the rendered config goes without it, so have the database authenticate Kea another way";

    /// <summary>A Kea value as the inventory writes it, every secret-like member left out and recorded as not imported.</summary>
    public YamlValue WithoutSecrets(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Object => new YamlMap(value.EnumerateObject()
            .Where(m => !Validation.SecretKeys.IsSecretLike(m.Name) || Skip($"{path}.{m.Name}"))
            .Select(m => KeyValuePair.Create(m.Name, WithoutSecrets(m.Value, $"{path}.{m.Name}"))).ToList()),
        JsonValueKind.Array => new YamlList(value.EnumerateArray().Select((item, i) => WithoutSecrets(item, $"{path}[{i}]")).ToList()),
        _ => YamlValue.FromJson(value),
    };

    /// <summary>Records a secret as not imported; false, so the member is left out.</summary>
    private bool Skip(string path)
    {
        SecretLeftOut(path, SecretWhy);
        return false;
    }

    public static long? Integer(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public static bool? Flag(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
