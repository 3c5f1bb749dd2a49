using System.Text.Json;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;

namespace KeaGitOps.Core.Import;

/// <summary>
/// Checks import's promise: rendering the imported inventory gives back the original config, except
/// where the import said otherwise. Every value of the original must be in the render (matched by
/// meaning, not position: subnets by prefix, reservations by identifier, options by space and name,
/// pools by the addresses they cover), unless its JSON path was reported as not imported or as rendered
/// differently, or it is Kea's default. In the other direction, the render must not hold a subnet,
/// reservation or option the original did not have.
/// </summary>
public static class ImportRoundTrip
{
    /// <summary>Values Kea uses when a key is absent: writing them or not means the same config.</summary>
    private static readonly Dictionary<string, string> KeaDefaults = new(StringComparer.Ordinal)
    {
        ["option-data.csv-format"] = "true",
        ["option-data.always-send"] = "false",
        ["option-data.never-send"] = "false",
        ["option-data.space"] = "dhcp4",
        ["lease-database.persist"] = "true",
        ["control-socket.socket-type"] = "unix",
        ["multi-threading.enable-multi-threading"] = "true",
        ["peers.auto-failover"] = "true",
        ["high-availability.mode"] = "load-balancing",
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

    private sealed class Walker(List<string> excused)
    {
        public List<string> Differences { get; } = [];

        private bool IsExcused(string path) => excused.Exists(e =>
            e == path || (path.StartsWith(e, StringComparison.Ordinal) && path[e.Length] is '.' or '[')
            || (e.EndsWith("[]", StringComparison.Ordinal) && path.StartsWith(e[..^2], StringComparison.Ordinal)));

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
                        if (rendered.TryGetProperty(member.Name, out var counterpart))
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

            var i = 0;
            foreach (var item in original.EnumerateArray())
            {
                var itemPath = $"{path}[{i++}]";
                if (IsExcused(itemPath))
                {
                    continue;
                }

                var counterpart = FindCounterpart(name, item, rendered, i - 1);
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
                var i = 0;
                foreach (var item in rendered.EnumerateArray())
                {
                    if (FindCounterpart(name, item, original, i) is { } found)
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
            var before = Addresses(original);
            var after = Addresses(rendered);
            if (!before.SequenceEqual(after))
            {
                Differences.Add($"{path}: covers {string.Join(", ", before)}; the render covers {string.Join(", ", after)}");
            }
        }

        private static List<Ipv4Range> Addresses(JsonElement pools)
        {
            var ranges = new List<Ipv4Range>();
            foreach (var pool in pools.EnumerateArray())
            {
                if (pool.TryGetProperty("pool", out var text) && text.ValueKind == JsonValueKind.String && Ipv4Range.TryParsePool(text.GetString()!, out var range))
                {
                    ranges.Add(range);
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

            return merged;
        }

        private static JsonElement? FindCounterpart(string arrayName, JsonElement item, JsonElement candidates, int index)
        {
            var key = KeyOf(arrayName, item);
            if (key is null)
            {
                // Scalars and unkeyed objects: the same position.
                return index < candidates.GetArrayLength() ? candidates[index] : null;
            }

            foreach (var candidate in candidates.EnumerateArray())
            {
                if (KeyOf(arrayName, candidate) == key)
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>
        /// What identifies an entry of a Kea list (<see cref="KeaListKeys"/>), except subnets: these pair
        /// by prefix here, since import gives an id to a subnet the original left without one.
        /// </summary>
        private static string? KeyOf(string arrayName, JsonElement item) => arrayName switch
        {
            "subnet4" => item.ValueKind == JsonValueKind.Object ? Text(item, "subnet") : null,
            "interfaces" => item.ToString(),
            _ => KeaListKeys.KeyOf(arrayName, item),
        };

        private static string Describe(string arrayName, JsonElement item) => KeyOf(arrayName, item) ?? item.GetRawText();

        /// <summary>An option given by code is rendered by name: the match by name and space already proved the code.</summary>
        private static bool IsNamedInstead(string parentPath, string key) => key == "code" && LastName(parentPath) == "option-data";

        private static bool IsDefault(string parentPath, string key, JsonElement value) =>
            KeaDefaults.TryGetValue($"{LastName(parentPath)}.{key}", out var fallback) && Scalar(value) == fallback;

        private static bool SameScalar(JsonElement original, JsonElement rendered, string path)
        {
            if (original.ValueKind == JsonValueKind.Number && rendered.ValueKind == JsonValueKind.Number)
            {
                return original.GetDecimal() == rendered.GetDecimal();
            }

            if (original.ValueKind != rendered.ValueKind)
            {
                return false;
            }

            var (before, after) = (Scalar(original), Scalar(rendered));
            return LastName(path) switch
            {
                // Kea reads a comma-separated option value item by item: spaces around commas mean nothing.
                "data" => string.Join(',', before.Split(',').Select(v => v.Trim())) == string.Join(',', after.Split(',').Select(v => v.Trim())),
                "hw-address" or "client-id" => string.Equals(before, after, StringComparison.OrdinalIgnoreCase),
                _ => before == after,
            };
        }

        private static string Scalar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        };

        private static string? Text(JsonElement element, string key) =>
            element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
