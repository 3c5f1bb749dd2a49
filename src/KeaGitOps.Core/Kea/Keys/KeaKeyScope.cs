using KeaGitOps.Core.Diagnostics;

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

    /// <summary>The known key closest to <paramref name="unknownKey"/> ("did you mean"), or null when none is close (<see cref="Spelling.Closest"/>).</summary>
    public string? Suggest(string unknownKey) => Spelling.Closest(unknownKey, Keys);

    public override string ToString() => Name;
}
