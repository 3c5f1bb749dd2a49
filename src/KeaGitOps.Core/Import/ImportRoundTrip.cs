using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Options;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import;

/// <summary>
/// Checks import's promise: rendering the imported inventory gives back the original config, except
/// where the import said otherwise. Every value of the original must be in the render (matched by
/// meaning, not position: subnets by prefix, reservations by identifier, options by space and name,
/// pools by the addresses they cover), unless its JSON path was reported as not imported or as rendered
/// differently, or it is Kea's default. In the other direction, the render must not hold a subnet,
/// reservation or option the original did not have.
/// </summary>
public static partial class ImportRoundTrip
{
    /// <summary>Values Kea uses when a key is absent: writing them or not means the same config.</summary>
    private static readonly Dictionary<string, string> KeaDefaults = new(StringComparer.Ordinal)
    {
        ["option-data.csv-format"] = "true",
        ["option-data.always-send"] = "false",
        ["option-data.never-send"] = "false",
        ["option-data.space"] = "dhcp4",
        ["lease-database.persist"] = "true",
        ["peers.auto-failover"] = "true",
    };

    /// <summary>
    /// Keys Kea reads under either name (2.6 and 3.0 take both): the render writes the target version's,
    /// which says the same as the original's.
    /// </summary>
    private static readonly Dictionary<string, string> KeaRenamed = new(StringComparer.Ordinal)
    {
        ["output_options"] = "output-options",
        ["output-options"] = "output_options",
    };

    /// <summary>
    /// What the render lost or invented, each as "JSON path: what"; empty when the round trip holds.
    /// <paramref name="reported"/> are import's report entries for <paramref name="original"/> ("path: why",
    /// not imported or rendered differently): those paths are excused.
    /// </summary>
    public static IReadOnlyList<string> Differences(JsonElement original, JsonElement rendered, IEnumerable<string> reported)
    {
        var excused = reported.Select(PathOf).ToList();
        var walker = new Walker(excused);
        walker.Lost(original, rendered, "$");
        walker.Invented(rendered, original, "$");
        return walker.Differences;
    }

    /// <summary>The JSON path of a report entry ("path: why"), as this walker spells it (no "$." before a top-level key).</summary>
    private static string PathOf(string entry)
    {
        var colon = entry.IndexOf(": ", StringComparison.Ordinal);
        var path = colon < 0 ? entry : entry[..colon];
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    private sealed partial class Walker(List<string> excused)
    {
        private readonly HashSet<string> _exact = [.. excused.Where(e => !e.Contains("[]", StringComparison.Ordinal))];

        /// <summary>Entries such as Dhcp4.hooks-libraries[1].peers[].auto-failover: "[]" stands for any position.</summary>
        private readonly HashSet<string> _wildcards = [.. excused.Where(e => e.Contains("[]", StringComparison.Ordinal))];

        public List<string> Differences { get; } = [];

        /// <summary>Whether the path, or a path it lies under, was reported: each prefix is one hash lookup.</summary>
        private bool IsExcused(string path)
        {
            var general = _wildcards.Count > 0 ? AnyIndex().Replace(path, "[]") : null;
            for (var end = 1; end <= path.Length; end++)
            {
                if (end < path.Length && path[end] is not ('.' or '['))
                {
                    continue;
                }

                if (_exact.Contains(path[..end]))
                {
                    return true;
                }
            }

            if (general is null)
            {
                return false;
            }

            for (var end = 1; end <= general.Length; end++)
            {
                if ((end == general.Length || general[end] is '.' or '[') && _wildcards.Contains(general[..end]))
                {
                    return true;
                }
            }

            return false;
        }

        [GeneratedRegex(@"\[[0-9]+\]")]
        private static partial Regex AnyIndex();

        /// <summary>Every value of <paramref name="original"/> must be in <paramref name="rendered"/>.</summary>
        public void Lost(JsonElement original, JsonElement rendered, string path)
        {
            if (IsExcused(path))
            {
                return;
            }

            switch (original.ValueKind)
            {
                case JsonValueKind.Object:
                    if (rendered.ValueKind != JsonValueKind.Object)
                    {
                        Differences.Add($"{path}: rendered as {rendered.ValueKind}, not an object");
                        return;
                    }

                    foreach (var member in original.EnumerateObject())
                    {
                        var memberPath = Join(path, member.Name);
                        if (rendered.TryGetProperty(member.Name, out var counterpart)
                            || (KeaRenamed.TryGetValue(member.Name, out var renamed) && rendered.TryGetProperty(renamed, out counterpart)))
                        {
                            Lost(member.Value, counterpart, memberPath);
                        }
                        else if (!IsExcused(memberPath) && !IsDefault(path, member.Name, member.Value) && !IsNamedInstead(path, member.Name))
                        {
                            Differences.Add($"{memberPath}: missing from the render");
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    LostItems(original, rendered, path);
                    break;
                default:
                    if (!SameScalar(original, rendered, path))
                    {
                        Differences.Add($"{path}: {original.GetRawText()} rendered as {rendered.GetRawText()}");
                    }

                    break;
            }
        }

        private void LostItems(JsonElement original, JsonElement rendered, string path)
        {
            if (rendered.ValueKind != JsonValueKind.Array)
            {
                Differences.Add($"{path}: rendered as {rendered.ValueKind}, not a list");
                return;
            }

            var name = LastName(path);
            if (name == "pools")
            {
                ComparePools(original, rendered, path);
                return;
            }

            var index = Index(name, rendered);
            var i = 0;
            foreach (var item in original.EnumerateArray())
            {
                var itemPath = $"{path}[{i++}]";
                if (IsExcused(itemPath))
                {
                    continue;
                }

                var counterpart = FindCounterpart(name, item, rendered, index, i - 1);
                if (counterpart is { } found)
                {
                    Lost(item, found, itemPath);
                }
                else
                {
                    Differences.Add($"{itemPath}: {Describe(name, item)} missing from the render");
                }
            }
        }

        /// <summary>The render's subnets, reservations and options must each come from the original.</summary>
        public void Invented(JsonElement rendered, JsonElement original, string path)
        {
            if (rendered.ValueKind == JsonValueKind.Object && original.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in rendered.EnumerateObject())
                {
                    if (member.Name is "Dhcp4" or "subnet4" or "reservations" or "option-data" && original.TryGetProperty(member.Name, out var counterpart))
                    {
                        Invented(member.Value, counterpart, Join(path, member.Name));
                    }
                    else if (member.Name is "subnet4" or "reservations" or "option-data" && member.Value.GetArrayLength() > 0)
                    {
                        Differences.Add($"{Join(path, member.Name)}: the render has {member.Value.GetArrayLength()} the original does not");
                    }
                }
            }
            else if (rendered.ValueKind == JsonValueKind.Array && original.ValueKind == JsonValueKind.Array)
            {
                var name = LastName(path);
                var index = Index(name, original);
                var i = 0;
                foreach (var item in rendered.EnumerateArray())
                {
                    if (FindCounterpart(name, item, original, index, i) is { } found)
                    {
                        Invented(item, found, $"{path}[{i}]");
                    }
                    else
                    {
                        Differences.Add($"{path}[{i}] of the render: {Describe(name, item)} is not in the original");
                    }

                    i++;
                }
            }
        }

        /// <summary>Pools compare by the addresses they cover: load-balancing splits one pool into two halves.</summary>
        private void ComparePools(JsonElement original, JsonElement rendered, string path)
        {
            // Notes on a pool say how it is split, never that its addresses change: no excuse applies.
            var (before, unreadBefore) = Addresses(original);
            var (after, unreadAfter) = Addresses(rendered);
            if (!before.SequenceEqual(after))
            {
                Differences.Add($"{path}: covers {string.Join(", ", before)}; the render covers {string.Join(", ", after)}");
            }

            foreach (var text in unreadBefore.Except(unreadAfter, StringComparer.Ordinal))
            {
                Differences.Add($"{path}: pool {text} missing from the render");
            }
        }

        /// <summary>The addresses the pools cover, merged; and the text of any pool that is not an address range.</summary>
        private static (List<Ipv4Range> Ranges, List<string> Unread) Addresses(JsonElement pools)
        {
            var ranges = new List<Ipv4Range>();
            var unread = new List<string>();
            foreach (var pool in pools.EnumerateArray())
            {
                var text = pool.ValueKind == JsonValueKind.Object && pool.TryGetProperty("pool", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : pool.GetRawText();
                if (Ipv4Range.TryParsePool(text, out var range))
                {
                    ranges.Add(range);
                }
                else
                {
                    unread.Add(text);
                }
            }

            // Merge touching ranges so that two halves equal the whole.
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

            return (merged, unread);
        }

        /// <summary>The keyed entries of a list, built once per list (the first entry wins a key twice).</summary>
        private static Dictionary<string, JsonElement> Index(string arrayName, JsonElement list)
        {
            var index = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var candidate in list.EnumerateArray())
            {
                if (KeyOf(arrayName, candidate) is { } key)
                {
                    index.TryAdd(key, candidate);
                }
            }

            return index;
        }

        private static JsonElement? FindCounterpart(string arrayName, JsonElement item, JsonElement candidates, Dictionary<string, JsonElement> index, int position)
        {
            if (KeyOf(arrayName, item) is not { } key)
            {
                // Scalars and unkeyed objects: the same position.
                return position < candidates.GetArrayLength() ? candidates[position] : null;
            }

            return index.TryGetValue(key, out var found) ? found : null;
        }

        /// <summary>
        /// What identifies an entry of a Kea list (<see cref="KeaListKeys"/>), with two differences: subnets
        /// pair by prefix, since import gives an id to a subnet the original left without one; hook libraries
        /// pair by file name, since the original may load others (not imported) before keagitops' two.
        /// </summary>
        private static string? KeyOf(string arrayName, JsonElement item) => arrayName switch
        {
            "subnet4" => item.ValueKind == JsonValueKind.Object ? Text(item, "subnet") : null,
            "hooks-libraries" => item.ValueKind == JsonValueKind.Object && Text(item, "library") is { } library ? library[(library.LastIndexOf('/') + 1)..] : null,
            "interfaces" => item.ValueKind == JsonValueKind.String ? item.GetString() : null,
            _ => KeaListKeys.KeyOf(arrayName, item),
        };

        /// <summary>An entry for a message: its key, never its raw text (an entry may hold a password).</summary>
        private static string Describe(string arrayName, JsonElement item) => KeyOf(arrayName, item) ?? "an entry";

        /// <summary>An option given by code is rendered by name: the match by name and space already proved the code.</summary>
        private static bool IsNamedInstead(string parentPath, string key) => key == "code" && LastName(parentPath) == "option-data";

        private static bool IsDefault(string parentPath, string key, JsonElement value) =>
            KeaDefaults.TryGetValue($"{LastName(parentPath)}.{key}", out var fallback) && Scalar(value) == fallback;

        private static bool SameScalar(JsonElement original, JsonElement rendered, string path)
        {
            if (original.ValueKind == JsonValueKind.Number && rendered.ValueKind == JsonValueKind.Number)
            {
                return original.TryGetDecimal(out var a) && rendered.TryGetDecimal(out var b)
                    ? a == b
                    : original.GetDouble().Equals(rendered.GetDouble());
            }

            if (original.ValueKind != rendered.ValueKind)
            {
                return false;
            }

            var (before, after) = (Scalar(original), Scalar(rendered));
            return LastName(path) switch
            {
                // Kea reads option data value by value (escapes resolved, each trimmed): compare those values.
                "data" => OptionCsv.Split(before).SequenceEqual(OptionCsv.Split(after)),
                "hw-address" or "client-id" => string.Equals(before, after, StringComparison.OrdinalIgnoreCase),
                _ => before == after,
            };
        }

        /// <summary>The last key of a path: "pools" for Dhcp4.subnet4[0].pools, "subnet4" for Dhcp4.subnet4[2].</summary>
        private static string LastName(string path)
        {
            var end = path.Length;
            while (end > 0 && path[end - 1] == ']')
            {
                end = path.LastIndexOf('[', end - 1);
            }

            var start = path.LastIndexOf('.', end - 1) + 1;
            return path[start..end];
        }

        private static string Join(string path, string key) => path == "$" ? key : $"{path}.{key}";
    }
}
