using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Kea.Keys;

/// <summary>One key or value Kea would refuse, at the node that holds it; <paramref name="UnknownKey"/> tells an unknown key from a wrong value.</summary>
public sealed record KeaKeyProblem(Node At, string Message, bool UnknownKey);

/// <summary>
/// Checks inventory entries that keagitops passes to Kea as written against Kea's own keys and value
/// kinds for the target version (<see cref="KeaKeyTable"/>), so that Kea's refusal, or its silent
/// ignoring of a misspelt key, is found at the user's file and line before anything is rendered.
/// </summary>
public static class KeaKeyChecker
{
    /// <summary>
    /// Checks one entry of a mapping that stands for <paramref name="scope"/>, and everything under it
    /// (maps and list entries against their own scopes); one problem per unknown key or wrong value.
    /// </summary>
    public static IEnumerable<KeaKeyProblem> Check(KeaKeyTable table, KeaKeyScope scope, MappingEntry entry)
    {
        var problems = new List<KeaKeyProblem>();
        CheckEntry(table, scope, entry, problems);
        return problems;
    }

    /// <summary>
    /// Checks a whole mapping that stands for <paramref name="scope"/>: each entry as <see cref="Check"/> does,
    /// and keys that Kea refuses together in one map (socket-name beside socket-address).
    /// </summary>
    public static IEnumerable<KeaKeyProblem> CheckMap(KeaKeyTable table, KeaKeyScope scope, MappingNode map)
    {
        var problems = new List<KeaKeyProblem>();
        CheckMap(table, scope, map, problems);
        return problems;
    }

    private static void CheckEntry(KeaKeyTable table, KeaKeyScope scope, MappingEntry entry, List<KeaKeyProblem> problems)
    {
        var key = entry.Key.Value;
        if (!scope.TryGet(key, out var type))
        {
            var hints = new List<string>();
            if (VersionsTaking(table, scope, key) is { Count: > 0 } others)
            {
                hints.Add($"Kea {string.Join(" and ", others)} {(others.Count == 1 ? "takes" : "take")} it");
            }

            if (scope.Suggest(key) is { } near)
            {
                hints.Add($"did you mean '{near}'?");
            }

            var hint = hints.Count > 0 ? " (" + string.Join("; ", hints) + ")" : string.Empty;
            problems.Add(new KeaKeyProblem(entry.Key,
                $"'{key}' is not a key Kea {table.Version.Name()} takes in {scope.Description}{hint}; it takes: {string.Join(", ", scope.Keys)}",
                UnknownKey: true));
            return;
        }

        CheckValue(table, key, type, entry.Value, problems);
    }

    /// <summary>The other versions whose Kea takes <paramref name="key"/> in the same map, so a message can tell a typo from a key of another version.</summary>
    private static List<string> VersionsTaking(KeaKeyTable table, KeaKeyScope scope, string key)
    {
        var versions = new List<string>();
        foreach (var (version, name) in KeaVersions.All)
        {
            if (version != table.Version && KeaKeyTable.For(version) is var other && other.ScopeNames.Contains(scope.Name)
                && other.Scope(scope.Name).Keys.Contains(key))
            {
                versions.Add(name);
            }
        }

        return versions;
    }

    private static void CheckValue(KeaKeyTable table, string key, KeaKeyType type, Node value, List<KeaKeyProblem> problems)
    {
        var version = table.Version.Name();
        switch (type.Kind)
        {
            case KeaValueKind.Any:
                return;
            case KeaValueKind.AnyMap:
                if (value is not MappingNode)
                {
                    problems.Add(WrongKind(table, key, type, value));
                }

                return;
            case KeaValueKind.Map:
                if (value is MappingNode map)
                {
                    CheckMap(table, table.Scope(type.ElementScope!), map, problems);
                }
                else
                {
                    problems.Add(WrongKind(table, key, type, value));
                }

                return;
            case KeaValueKind.MapList or KeaValueKind.StringList:
                if (value is not SequenceNode list)
                {
                    problems.Add(WrongKind(table, key, type, value));
                    return;
                }

                foreach (var item in list.Items)
                {
                    if (type.Kind == KeaValueKind.MapList && item is MappingNode entryMap)
                    {
                        CheckMap(table, table.Scope(type.ElementScope!), entryMap, problems);
                    }
                    else if (type.Kind == KeaValueKind.StringList && item is ScalarNode { Kind: ScalarKind.String } text)
                    {
                        if (!type.Takes(text.Value))
                        {
                            problems.Add(new KeaKeyProblem(item,
                                $"each entry of '{key}' must be one of {type.DescribeValues()} for Kea {version}, not '{text.Value}'", UnknownKey: false));
                        }
                    }
                    else
                    {
                        var wanted = type.Kind == KeaValueKind.MapList ? "a mapping" : type.IsEnumeration ? "one of " + type.DescribeValues() : "a string";
                        problems.Add(new KeaKeyProblem(item, $"each entry of '{key}' must be {wanted} for Kea {version}, not {item.KindName}", UnknownKey: false));
                    }
                }

                return;
        }

        if (value is not ScalarNode scalar || KindOf(scalar) is not { } written || written != type.Kind)
        {
            problems.Add(WrongKind(table, key, type, value));
            return;
        }

        if (type.Kind == KeaValueKind.Integer && !scalar.TryGetInteger(out _))
        {
            problems.Add(new KeaKeyProblem(value, $"'{key}' is out of range for Kea {version}: it reads integers of 64 bits at most, not {scalar.Value}", UnknownKey: false));
        }
        else if (type.Kind == KeaValueKind.String && !type.Takes(scalar.Value))
        {
            problems.Add(new KeaKeyProblem(value, $"'{key}' must be {type.Describe()} for Kea {version}, not '{scalar.Value}'", UnknownKey: false));
        }
    }

    private static void CheckMap(KeaKeyTable table, KeaKeyScope scope, MappingNode map, List<KeaKeyProblem> problems)
    {
        for (var i = 0; i < map.Entries.Count; i++)
        {
            var entry = map.Entries[i];
            CheckEntry(table, scope, entry, problems);
            if (scope.TakesOneKey && i > 0)
            {
                problems.Add(new KeaKeyProblem(entry.Key,
                    $"'{entry.Key.Value}' cannot be in {scope.Description} beside '{map.Entries[0].Key.Value}' (line {map.Entries[0].Key.Location.Line}) for Kea {table.Version.Name()}: Kea takes one key only there, one of: {string.Join(", ", scope.Keys)}", UnknownKey: false));
            }
            else if (scope.TryGet(entry.Key.Value, out var type)
                && map.Entries.Take(i).FirstOrDefault(e => type.Excludes.Contains(e.Key.Value, StringComparer.Ordinal)) is { } earlier)
            {
                problems.Add(new KeaKeyProblem(entry.Key,
                    $"'{entry.Key.Value}' cannot be in {scope.Description} beside '{earlier.Key.Value}' (line {earlier.Key.Location.Line}) for Kea {table.Version.Name()}: Kea takes one of them only", UnknownKey: false));
            }
        }
    }

    private static KeaKeyProblem WrongKind(KeaKeyTable table, string key, KeaKeyType type, Node value)
    {
        var version = table.Version.Name();
        if (value is ScalarNode scalar && KindOf(scalar) is { } written && type.Refused.TryGetValue(written, out var reason))
        {
            return new KeaKeyProblem(value, $"'{key}' cannot be {value.KindName} for Kea {version}, which says: \"{reason}\"; it takes {type.Describe()}", UnknownKey: false);
        }

        var hint = type.Kind == KeaValueKind.Real && value is ScalarNode { Kind: ScalarKind.Integer } whole
            ? $" (Kea reads {whole.Value} as an integer here: write {whole.Value}.0)"
            : string.Empty;
        return new KeaKeyProblem(value, $"'{key}' must be {type.Describe()} for Kea {version}, not {value.KindName}{hint}", UnknownKey: false);
    }

    /// <summary>The Kea token a YAML scalar becomes when rendered: its core-schema kind, which the renderer keeps.</summary>
    private static KeaValueKind? KindOf(ScalarNode scalar) => scalar.Kind switch
    {
        ScalarKind.Integer => KeaValueKind.Integer,
        ScalarKind.Float => KeaValueKind.Real,
        ScalarKind.Boolean => KeaValueKind.Boolean,
        ScalarKind.String => KeaValueKind.String,
        _ => null,
    };
}
