namespace KeaGitOps.Core.Kea.Keys;

/// <summary>The kinds of value Kea's grammar takes for a key.</summary>
public enum KeaValueKind
{
    /// <summary>Kea's INTEGER token: digits with an optional sign, 64 bits.</summary>
    Integer,

    /// <summary>Kea's FLOAT token: its lexer reads <c>1</c> as an INTEGER, so a whole number must be written <c>1.0</c>.</summary>
    Real,
    Boolean,
    String,
    StringList,

    /// <summary>A map whose keys are checked against <see cref="KeaKeyType.ElementScope"/>.</summary>
    Map,

    /// <summary>A list of maps, each checked against <see cref="KeaKeyType.ElementScope"/>.</summary>
    MapList,

    /// <summary>Any map, unchecked inside (user-context, a hook's parameters).</summary>
    AnyMap,

    /// <summary>Any JSON value.</summary>
    Any,
}

/// <summary>
/// What Kea takes for one key: a kind, the scope of its map or list entries, and where the grammar says
/// more, the strings of an enumeration (Kea's lexer makes keywords of them, so no other string parses)
/// and the kinds its grammar reads only to refuse them, with Kea's own reason.
/// </summary>
public sealed record KeaKeyType(KeaValueKind Kind, string? ElementScope)
{
    private static readonly IReadOnlyDictionary<KeaValueKind, string> NoneRefused = new Dictionary<KeaValueKind, string>();

    /// <summary>
    /// For <see cref="KeaValueKind.String"/> and <see cref="KeaValueKind.StringList"/>: the only strings Kea
    /// takes, exactly as written (sorted); empty, with <see cref="ValuesInAnyCase"/> empty too, for any string.
    /// </summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Strings of an enumeration that Kea's lexer matches in any case (dhcp-ddns's "UDP"), sorted.</summary>
    public IReadOnlyList<string> ValuesInAnyCase { get; init; } = [];

    /// <summary>Kinds Kea's grammar reads for this key only to refuse them, each with Kea's message.</summary>
    public IReadOnlyDictionary<KeaValueKind, string> Refused { get; init; } = NoneRefused;

    /// <summary>Keys Kea refuses in the same map as this one (socket-name and socket-address are one setting), sorted.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Whether the key takes only the strings of an enumeration.</summary>
    public bool IsEnumeration => Values.Count > 0 || ValuesInAnyCase.Count > 0;

    /// <summary>Whether Kea takes <paramref name="value"/> as one of the enumeration's strings (any string when this is no enumeration).</summary>
    public bool Takes(string value) =>
        !IsEnumeration || Values.Contains(value, StringComparer.Ordinal) || ValuesInAnyCase.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>What this key takes, as a message says it: "an integer", "one of 'raw', 'udp'".</summary>
    public string Describe() => Kind switch
    {
        KeaValueKind.Integer => "an integer",
        KeaValueKind.Real => "a number with a decimal point",
        KeaValueKind.Boolean => "a boolean",
        KeaValueKind.String when IsEnumeration => "one of " + DescribeValues(),
        KeaValueKind.String => "a string",
        KeaValueKind.StringList when IsEnumeration => "a list of " + DescribeValues(),
        KeaValueKind.StringList => "a list of strings",
        KeaValueKind.Map or KeaValueKind.AnyMap => "a mapping",
        KeaValueKind.MapList => "a list of mappings",
        _ => "any value",
    };

    /// <summary>The enumeration's strings for a message: "'raw', 'udp'", and "(in any case)" where Kea ignores case.</summary>
    public string DescribeValues() =>
        string.Join(", ", Values.Concat(ValuesInAnyCase).Order(StringComparer.Ordinal).Select(v => "'" + v + "'"))
        + (ValuesInAnyCase.Count > 0 ? (Values.Count > 0 ? " (" + string.Join(", ", ValuesInAnyCase.Select(v => "'" + v + "'")) + " in any case)" : " (in any case)") : string.Empty);

    public bool Equals(KeaKeyType? other) =>
        other is not null && Kind == other.Kind && ElementScope == other.ElementScope
        && Values.SequenceEqual(other.Values) && ValuesInAnyCase.SequenceEqual(other.ValuesInAnyCase) && Excludes.SequenceEqual(other.Excludes)
        && Refused.Count == other.Refused.Count && Refused.All(r => other.Refused.TryGetValue(r.Key, out var reason) && reason == r.Value);

    public override int GetHashCode() => HashCode.Combine(Kind, ElementScope, Values.Count, ValuesInAnyCase.Count, Refused.Count);
}
