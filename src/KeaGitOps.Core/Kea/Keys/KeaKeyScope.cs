namespace KeaGitOps.Core.Kea.Keys;

/// <summary>One map of Kea's configuration (for example "subnet4", one entry of Dhcp4's subnet4 list) and the keys Kea takes in it.</summary>
public sealed class KeaKeyScope
{
    private readonly Dictionary<string, KeaKeyType> types;

    private static readonly KeaKeyType AnyValue = new(KeaValueKind.Any, null);

    internal KeaKeyScope(string name, string description, bool takesOneKey, bool takesOtherKeys, Dictionary<string, KeaKeyType> types)
    {
        Name = name;
        TakesOneKey = takesOneKey;
        TakesOtherKeys = takesOtherKeys;
        Description = description;
        this.types = types;
        Keys = [.. types.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The scope's name: Kea's own name for the map where it has one ("subnet4", "pools", "Dhcp4").</summary>
    public string Name { get; }

    /// <summary>How a message names the map: "subnet4", "a high-availability relationship".</summary>
    public string Description { get; }

    /// <summary>Whether Kea's grammar takes only one key in this map, any of <see cref="Keys"/> (relay: in 2.2, ip-address or ip-addresses).</summary>
    public bool TakesOneKey { get; }

    /// <summary>
    /// Whether Kea's grammar takes any other key here with any value, beside <see cref="Keys"/>
    /// (dhcp-queue-control, whose other keys are the parameters of a queue implementation).
    /// </summary>
    public bool TakesOtherKeys { get; }

    /// <summary>Every key Kea takes here, sorted.</summary>
    public IReadOnlyCollection<string> Keys { get; }

    /// <summary>The type of <paramref name="key"/>; in a scope that <see cref="TakesOtherKeys"/>, any other key is <see cref="KeaValueKind.Any"/>.</summary>
    public bool TryGet(string key, out KeaKeyType type)
    {
        if (types.TryGetValue(key, out type!))
        {
            return true;
        }

        type = AnyValue;
        return TakesOtherKeys;
    }

    /// <summary>
    /// The known key closest to <paramref name="unknownKey"/> ("did you mean"), or null when none is close:
    /// at most a third of the key's letters changed (at least one, at most three), where swapping two
    /// neighbours counts as one change and '_' for '-' as none.
    /// </summary>
    public string? Suggest(string unknownKey)
    {
        var limit = Math.Clamp(unknownKey.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var key in Keys)
        {
            var distance = KeyDistance.Between(unknownKey, key);
            if (distance <= limit && distance < bestDistance)
            {
                best = key;
                bestDistance = distance;
            }
        }

        return best;
    }

    public override string ToString() => Name;
}

/// <summary>Edit distance between key names (optimal string alignment), case-insensitive and with '_' equal to '-'.</summary>
internal static class KeyDistance
{
    public static int Between(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
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
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    private static bool Same(char x, char y) => Normal(x) == Normal(y);

    private static char Normal(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
}
