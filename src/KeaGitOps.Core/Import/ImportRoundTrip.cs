using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Options;
using KeaGitOps.Core.Rendering;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import;

/// <summary>
/// Checks import's promise: rendering the imported inventory gives back the original config, except
/// where the import said otherwise. Both configs are normalised (pools to the addresses they cover, option
/// data as the values Kea reads, identifiers in their normal form) and compared by <see cref="JsonDiff"/>,
/// entries matched by meaning, not position (subnets by prefix, reservations by identifier, options by space
/// and name, hook libraries by file name). Every value of the original must be in the render unless its
/// JSON path was reported (<see cref="ImportNote"/>) or it is Kea's default (<see cref="KeaDefaults"/>); the
/// render must not hold a subnet, reservation or option the original did not have.
/// </summary>
public static partial class ImportRoundTrip
{
    /// <summary>What the render lost or invented, each as "JSON path: what"; empty when the round trip holds.</summary>
    /// <param name="reported">import's notes about <paramref name="original"/>: their paths are excused.</param>
    public static IReadOnlyList<string> Differences(JsonElement original, JsonElement rendered, IEnumerable<ImportNote> reported)
    {
        // Excused paths are spelled as the compared documents are (KeaSpelling).
        var excuses = new Excuses(reported.Select(n => n.Path.StartsWith("$.", StringComparison.Ordinal) ? n.Path[2..] : n.Path)
            .Select(p => p.Replace(".output_options", "." + KeaSpelling("output_options"), StringComparison.Ordinal)));
        using var before = Normalised(original);
        using var after = Normalised(rendered);
        var lost = new List<string>();
        var invented = new List<string>();
        foreach (var change in JsonDiff.Compare(before.RootElement, after.RootElement, KeyOf, repeatedKeysPairWithTheFirst: true))
        {
            if (change.Kind == ChangeKind.Added)
            {
                if (Invented(change) is { } difference)
                {
                    invented.Add(difference);
                }
            }
            else if (Lost(change, original, rendered, excuses) is { } difference)
            {
                lost.Add(difference);
            }
        }

        return [.. lost, .. invented];
    }

    /// <summary>A value of the original the render does not give back, unless excused; null when it is no loss.</summary>
    private static string? Lost(JsonChange change, JsonElement original, JsonElement rendered, Excuses excuses)
    {
        var segments = change.Segments;
        var path = segments.Count == 0 ? "$" : Format(segments, before: true);
        if (excuses.Cover(path))
        {
            return null;
        }

        if (segments.Count == 0)
        {
            return $"$: rendered as {rendered.ValueKind}, not an object";
        }

        var last = segments[^1];
        var holder = LastName(segments, segments.Count - 1);
        var inPools = (holder == "pools" && last.Name is "covers" or "unread" or "restricted")
            || (segments.Count >= 2 && segments[^2].Name is "unread" or "restricted" && LastName(segments, segments.Count - 2) == "pools");
        if (inPools)
        {
            return Pools(change, segments);
        }

        if (change.Kind == ChangeKind.Removed)
        {
            var value = At(original, segments, before: true);
            if (last.Name is null)
            {
                return $"{path}: {Describe(holder, value)} missing from the render";
            }

            return KeaDefaults.IsDefault(holder, last.Name, value) || (last.Name == "code" && holder == "option-data")
                ? null // an option given by code is rendered by name: the match by name and space already proved the code
                : $"{path}: missing from the render";
        }

        var was = At(original, segments, before: true);
        var now = At(rendered, segments, before: false);
        return was.ValueKind switch
        {
            JsonValueKind.Object when now.ValueKind != JsonValueKind.Object => $"{path}: rendered as {now.ValueKind}, not an object",
            JsonValueKind.Array when now.ValueKind != JsonValueKind.Array => $"{path}: rendered as {now.ValueKind}, not a list",
            _ => $"{path}: {was.GetRawText()} rendered as {now.GetRawText()}",
        };
    }

    /// <summary>Pools compare by the addresses they cover; notes on a pool say how it is split, never that its addresses change.</summary>
    private static string? Pools(JsonChange change, IReadOnlyList<JsonPathSegment> segments)
    {
        if (segments[^1].Name == "covers" && change.Kind == ChangeKind.Changed)
        {
            return $"{Format(segments.Take(segments.Count - 1).ToList(), before: true)}: covers {StringIn(change.Before!)}; the render covers {StringIn(change.After!)}";
        }

        if (segments[^2].Name == "unread" && change.Kind == ChangeKind.Removed)
        {
            return $"{Format(segments.Take(segments.Count - 2).ToList(), before: true)}: pool {segments[^1].Name} missing from the render";
        }

        if (segments[^2].Name == "restricted")
        {
            var pools = Format(segments.Take(segments.Count - 2).ToList(), before: true);
            return change.Kind == ChangeKind.Removed
                ? $"{pools}: {StringIn(change.Before!)} with {segments[^1].Name} missing from the render"
                : change.Kind == ChangeKind.Changed ? $"{pools}: with {segments[^1].Name} covers {StringIn(change.Before!)}; the render covers {StringIn(change.After!)}" : null;
        }

        return null;
    }

    private static string? StringIn(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetString();
    }

    /// <summary>A subnet, reservation or option of the render the original does not have; null for anything else it adds.</summary>
    private static string? Invented(JsonChange change)
    {
        var segments = change.Segments;
        if (segments.Any(s => s.Name is not (null or "Dhcp4" or "shared-networks" or "subnet4" or "reservations" or "option-data")))
        {
            return null;
        }

        var path = Format(segments, before: false);
        if (segments[^1].Name is { } member)
        {
            using var value = JsonDocument.Parse(change.After!);
            return member != "Dhcp4" && value.RootElement.ValueKind == JsonValueKind.Array && value.RootElement.GetArrayLength() > 0
                ? $"{path}: the render has {value.RootElement.GetArrayLength()} the original does not"
                : null;
        }

        using var item = JsonDocument.Parse(change.After!);
        return $"{path} of the render: {Describe(LastName(segments, segments.Count - 1), item.RootElement)} is not in the original";
    }

    /// <summary>The value a change's path leads to in <paramref name="root"/> (a document before normalisation: its own text).</summary>
    private static JsonElement At(JsonElement root, IReadOnlyList<JsonPathSegment> segments, bool before)
    {
        var element = root;
        foreach (var segment in segments)
        {
            element = segment.Name is { } name ? Member(element, name) : element[(before ? segment.Before : segment.After)!.Value];
        }

        return element;
    }

    /// <summary>A member by the name normalisation gave it (<see cref="KeaSpelling"/>), whichever spelling the document uses.</summary>
    private static JsonElement Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : element.GetProperty(name == KeaSpelling("output_options") ? "output_options" : name);

    /// <summary>The one spelling of a key Kea reads under two names (2.6 and 3.0 read a logger's outputs as either; the render writes its version's).</summary>
    private static string KeaSpelling(string name) => name == "output_options" ? "output-options" : name;

    /// <summary>The path with each list entry at its position: in the original (<paramref name="before"/>) or in the render.</summary>
    private static string Format(IReadOnlyList<JsonPathSegment> segments, bool before)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append(name);
            }
            else
            {
                text.Append('[').Append(before ? segment.Before : segment.After).Append(']');
            }
        }

        return text.ToString();
    }

    /// <summary>The name of the member holding the step before <paramref name="end"/>: "reservations" for an entry of a reservations list, the object's name for a member.</summary>
    private static string LastName(IReadOnlyList<JsonPathSegment> segments, int end)
    {
        for (var i = end - 1; i >= 0; i--)
        {
            if (segments[i].Name is { } name)
            {
                return name;
            }
        }

        return "$";
    }

    /// <summary>
    /// What identifies an entry of a Kea list (<see cref="KeaListKeys"/>), with two differences: subnets
    /// pair by prefix, since import gives an id to a subnet the original left without one; hook libraries
    /// pair by file name, since the original may load others (not imported) before keagitops' two.
    /// </summary>
    private static string? KeyOf(string listName, JsonElement item) => listName switch
    {
        "subnet4" => item.ValueKind == JsonValueKind.Object ? Text(item, "subnet") : null,
        "hooks-libraries" => item.ValueKind == JsonValueKind.Object && Text(item, "library") is { } library ? library[(library.LastIndexOf('/') + 1)..] : null,
        "interfaces" => item.ValueKind == JsonValueKind.String ? item.GetString() : null,
        _ => KeaListKeys.KeyOf(listName, item),
    };

    /// <summary>An entry for a message: its key, never its raw text (an entry may hold a password).</summary>
    private static string Describe(string listName, JsonElement item) => KeyOf(listName, item) ?? "an entry";

    /// <summary>
    /// The config as the round trip compares it: each pools list as the addresses it covers (merged, so that
    /// two halves equal the whole) and the text of any pool that is not a range; option data without
    /// spaces around commas or escapes (Kea reads the values one by one); reservation identifiers in their normal form.
    /// </summary>
    private static JsonDocument Normalised(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var combined = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (JsonValues.Member(root, "Dhcp4", JsonValueKind.Object) is { } dhcp4 && JsonValues.Member(dhcp4, "client-classes", JsonValueKind.Array) is { } classes)
        {
            var peers = PeerScopes(dhcp4);
            foreach (var definition in classes.EnumerateArray())
            {
                if (Text(definition, "name") is not { } name)
                {
                    continue;
                }

                if ((PoolClasses.Read(definition) ?? PoolClasses.ReadHandWritten(definition)) is { } made)
                {
                    combined.TryAdd(name, made.Classes);
                }
                else if (PoolClasses.ScopeOnly(definition) is { } scope && peers.Contains(scope))
                {
                    // Only the HA scope of one of the pair's servers: it says how a pool is split (import reads it so), never which clients it serves.
                    combined.TryAdd(name, []);
                }
            }
        }

        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root, "$", combined);
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>The HA scope classes of the config's HA peers (HA_ and each peer's name).</summary>
    private static HashSet<string> PeerScopes(JsonElement dhcp4) =>
        [.. (JsonValues.Member(dhcp4, "hooks-libraries", JsonValueKind.Array)?.EnumerateArray() ?? default)
            .Select(h => JsonValues.Member(h, "parameters", JsonValueKind.Object) is { } p && JsonValues.Member(p, "high-availability", JsonValueKind.Array) is { } ha && ha.GetArrayLength() > 0
                ? JsonValues.Member(ha[0], "peers", JsonValueKind.Array) : null)
            .OfType<JsonElement>()
            .SelectMany(peers => peers.EnumerateArray())
            .Select(peer => Text(peer, "name")).OfType<string>()
            .Select(name => PoolClasses.ScopePrefix + name)];

    private static void Write(Utf8JsonWriter writer, JsonElement element, string name, IReadOnlyDictionary<string, IReadOnlyList<string>> combined)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array when name == "pools":
                WritePools(writer, element, combined);
                break;
            case JsonValueKind.Array when name == "client-classes":
                // The classes keagitops combines for class-restricted pools are how it renders them, read back into the pools.
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray().Where(i => PoolClasses.Read(i) is null))
                {
                    Write(writer, item, name, combined);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Object:
                // Kea stores a map's "comment" as user-context.comment (and config-get gives it back there):
                // the two spellings are one value.
                var comment = name != "user-context" && element.TryGetProperty("comment", out var c) ? c : (JsonElement?)null;
                writer.WriteStartObject();
                foreach (var member in element.EnumerateObject())
                {
                    var memberName = KeaSpelling(member.Name);
                    if (comment is not null && memberName == "comment")
                    {
                        continue;
                    }

                    writer.WritePropertyName(memberName);
                    if (comment is { } inside && memberName == "user-context" && member.Value.ValueKind == JsonValueKind.Object)
                    {
                        writer.WriteStartObject();
                        writer.WritePropertyName("comment");
                        inside.WriteTo(writer);
                        foreach (var context in member.Value.EnumerateObject().Where(m => m.Name != "comment"))
                        {
                            writer.WritePropertyName(context.Name);
                            Write(writer, context.Value, context.Name, combined);
                        }

                        writer.WriteEndObject();
                        comment = null;
                        continue;
                    }

                    Write(writer, member.Value, memberName, combined);
                }

                if (comment is { } alone)
                {
                    writer.WriteStartObject("user-context");
                    writer.WritePropertyName("comment");
                    alone.WriteTo(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, name, combined);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when name == "data":
                // Kea reads option data value by value (escapes resolved, each trimmed): compare those values.
                writer.WriteStringValue(string.Join(',', OptionCsv.Split(element.GetString()!).Select(OptionCsv.Escape)));
                break;
            case JsonValueKind.String when ReservationIdentity.TypeOf(name) is { } type:
                writer.WriteStringValue(ReservationIdentity.Parse(type, element.GetString()!)?.Value ?? element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// <c>{ "covers": "first - last, …", "unread": { "text": true, … }, "restricted": { "classes: …; {settings}": "first - last, …" } }</c>:
    /// what a pools list means. A pool with classes or settings of its own is compared by what it covers with
    /// them; the HA scope classes, alone or inside a class keagitops combined, say only how a pool is split.
    /// </summary>
    private static void WritePools(Utf8JsonWriter writer, JsonElement pools, IReadOnlyDictionary<string, IReadOnlyList<string>> combined)
    {
        var ranges = new List<Ipv4Range>();
        var unread = new SortedSet<string>(StringComparer.Ordinal);
        var restricted = new SortedDictionary<string, List<Ipv4Range>>(StringComparer.Ordinal);
        foreach (var pool in pools.EnumerateArray())
        {
            var text = pool.ValueKind == JsonValueKind.Object && pool.TryGetProperty("pool", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : pool.GetRawText();
            if (!Ipv4Range.TryParsePool(text, out var range))
            {
                unread.Add(text);
            }
            else if (PoolMeaning(pool, combined) is { } meaning)
            {
                (restricted.TryGetValue(meaning, out var list) ? list : restricted[meaning] = []).Add(range);
            }
            else
            {
                ranges.Add(range);
            }
        }

        writer.WriteStartObject();
        writer.WriteString("covers", Covered(ranges));
        writer.WriteStartObject("restricted");
        foreach (var (meaning, covered) in restricted)
        {
            writer.WriteString(meaning, Covered(covered));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("unread");
        foreach (var text in unread)
        {
            writer.WriteBoolean(text, true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The classes (sorted) and other settings of a pool, as one text; null for a pool that is only a range.</summary>
    private static string? PoolMeaning(JsonElement pool, IReadOnlyDictionary<string, IReadOnlyList<string>> combined)
    {
        if (pool.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var classes = new SortedSet<string>(StringComparer.Ordinal);
        var names = JsonValues.Member(pool, "client-classes", JsonValueKind.Array) is { } list
            ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())
            : Text(pool, "client-class") is { } single ? [single] : [];
        foreach (var name in names)
        {
            if (combined.TryGetValue(name, out var inside))
            {
                classes.UnionWith(inside);
            }
            else if (!name.StartsWith(PoolClasses.ScopePrefix, StringComparison.Ordinal))
            {
                classes.Add(name);
            }
        }

        // An empty list or map is Kea's default for a pool's settings (option-data: []), never a meaning of its own.
        var settings = pool.EnumerateObject()
            .Where(m => m.Name is not ("pool" or "client-classes" or "client-class")
                && !(m.Value.ValueKind == JsonValueKind.Array && m.Value.GetArrayLength() == 0)
                && !(m.Value.ValueKind == JsonValueKind.Object && !m.Value.EnumerateObject().Any()))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        if (classes.Count == 0 && settings.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in settings)
            {
                var memberName = KeaSpelling(member.Name);
                writer.WritePropertyName(memberName);
                Write(writer, member.Value, memberName, combined);
            }

            writer.WriteEndObject();
        }

        return $"classes: {string.Join(", ", classes)}; {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)}";
    }

    /// <summary>The addresses <paramref name="ranges"/> cover, adjacent and overlapping ranges merged (two halves equal the whole).</summary>
    private static string Covered(List<Ipv4Range> ranges)
    {
        var merged = new List<Ipv4Range>();
        foreach (var range in ranges.OrderBy(r => r.First.Value))
        {
            if (merged.Count > 0 && (ulong)merged[^1].Last.Value + 1 >= range.First.Value)
            {
                var last = merged[^1];
                merged[^1] = new Ipv4Range(last.First, new Ipv4Address(Math.Max(last.Last.Value, range.Last.Value)));
            }
            else
            {
                merged.Add(range);
            }
        }

        return string.Join(", ", merged);
    }

    /// <summary>The reported paths: a path, or one it lies under, is excused; <c>[]</c> in a reported path stands for any position.</summary>
    private sealed partial class Excuses
    {
        private readonly HashSet<string> _exact;
        private readonly HashSet<string> _wildcards;

        /// <summary>"$": the whole file (it was not a config import could read).</summary>
        private readonly bool _all;

        public Excuses(IEnumerable<string> paths)
        {
            var list = paths.ToList();
            _exact = [.. list.Where(e => !e.Contains("[]", StringComparison.Ordinal))];
            _wildcards = [.. list.Where(e => e.Contains("[]", StringComparison.Ordinal))];
            _all = _exact.Contains("$");
        }

        /// <summary>Each prefix is one hash lookup.</summary>
        public bool Cover(string path) => _all || AnyPrefixIn(path, _exact) || (_wildcards.Count > 0 && AnyPrefixIn(AnyIndex().Replace(path, "[]"), _wildcards));

        private static bool AnyPrefixIn(string path, HashSet<string> set)
        {
            for (var end = 1; end <= path.Length; end++)
            {
                if ((end == path.Length || path[end] is '.' or '[') && set.Contains(path[..end]))
                {
                    return true;
                }
            }

            return false;
        }

        [GeneratedRegex(@"\[[0-9]+\]")]
        private static partial Regex AnyIndex();
    }
}
