using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Diffing;

namespace KeaGitOps.Remote.Status;

/// <summary>Reads Kea's answers to status-get and statistic-get-all into <see cref="ServerStatus"/>'s parts. Pure: tested on captured answers.</summary>
public static partial class KeaAnswers
{
    /// <summary>HA from status-get's arguments (the first relationship), or null when the HA hook is not loaded.</summary>
    public static HaStatus? Ha(JsonElement statusGet)
    {
        if (!statusGet.TryGetProperty("high-availability", out var relationships) || relationships.ValueKind != JsonValueKind.Array || relationships.GetArrayLength() == 0)
        {
            return null;
        }

        var ha = relationships[0];
        var servers = ha.TryGetProperty("ha-servers", out var s) ? s : default;
        var local = servers.ValueKind == JsonValueKind.Object && servers.TryGetProperty("local", out var l) ? l : default;
        var remote = servers.ValueKind == JsonValueKind.Object && servers.TryGetProperty("remote", out var r) ? r : default;
        return new HaStatus(
            Text(ha, "ha-mode") ?? "unknown",
            Text(local, "state") ?? "unknown",
            Strings(local, "scopes"),
            Text(remote, "server-name"),
            Text(remote, "last-state"),
            Bool(remote, "in-touch"),
            Bool(remote, "communication-interrupted"),
            Number(remote, "unacked-clients"),
            Number(remote, "connecting-clients"));
    }

    public static long? Uptime(JsonElement statusGet) => Number(statusGet, "uptime");

    public static long? SecondsSinceReload(JsonElement statusGet) => Number(statusGet, "reload");

    /// <summary>
    /// Per subnet and per pool: total, assigned and declined addresses. Kea numbers pools by their pool-id
    /// (0 unless the config sets one), so pools sharing an id are one entry, as Kea counts them.
    /// <paramref name="running"/> (config-get's arguments) names the subnets and the pools' ranges.
    /// </summary>
    public static IReadOnlyList<PoolUse> Pools(JsonElement statistics, JsonElement? running)
    {
        var values = new Dictionary<(long Subnet, long? Pool), Dictionary<string, long>>();
        foreach (var statistic in statistics.EnumerateObject())
        {
            var match = SubnetStatistic().Match(statistic.Name);
            if (!match.Success || Latest(statistic.Value) is not { } value)
            {
                continue;
            }

            var subnet = long.Parse(match.Groups["subnet"].Value, CultureInfo.InvariantCulture);
            long? pool = match.Groups["pool"].Success ? long.Parse(match.Groups["pool"].Value, CultureInfo.InvariantCulture) : null;
            if (!values.TryGetValue((subnet, pool), out var counters))
            {
                values[(subnet, pool)] = counters = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            counters[match.Groups["name"].Value] = value;
        }

        var subnets = SubnetsOf(running);
        return values
            .Where(v => v.Value.ContainsKey("total-addresses"))
            .OrderBy(v => v.Key.Subnet).ThenBy(v => v.Key.Pool ?? -1)
            .Select(v =>
            {
                subnets.TryGetValue(v.Key.Subnet, out var known);
                var range = v.Key.Pool is { } id && known.Pools is not null && known.Pools.TryGetValue(id, out var ranges) ? string.Join(", ", ranges) : null;
                return new PoolUse(v.Key.Subnet, known.Prefix, v.Key.Pool, range, v.Value["total-addresses"], v.Value.GetValueOrDefault("assigned-addresses"), v.Value.GetValueOrDefault("declined-addresses"));
            })
            .ToList();
    }

    /// <summary>The server's cumulative counters: DHCPACKs and DHCPOFFERs sent, packets received, leases assigned.</summary>
    public static LoadCounters Load(JsonElement statistics) => new(
        Counter(statistics, "pkt4-ack-sent"),
        Counter(statistics, "pkt4-offer-sent"),
        Counter(statistics, "pkt4-received"),
        Counter(statistics, "cumulative-assigned-addresses"));

    private static long Counter(JsonElement statistics, string name) =>
        statistics.TryGetProperty(name, out var samples) && Latest(samples) is { } value ? value : 0;

    /// <summary>A statistic's newest sample: Kea lists [value, time] pairs, newest first.</summary>
    private static long? Latest(JsonElement samples)
    {
        if (samples.ValueKind != JsonValueKind.Array || samples.GetArrayLength() == 0 || samples[0].ValueKind != JsonValueKind.Array || samples[0].GetArrayLength() == 0)
        {
            return null;
        }

        var value = samples[0][0];
        return value.ValueKind != JsonValueKind.Number ? null
            : value.TryGetInt64(out var whole) ? whole
            : (long)Math.Min(value.GetDouble(), long.MaxValue);
    }

    private static Dictionary<long, (string? Prefix, Dictionary<long, List<string>>? Pools)> SubnetsOf(JsonElement? running)
    {
        var subnets = new Dictionary<long, (string?, Dictionary<long, List<string>>?)>();
        if (running is not { ValueKind: JsonValueKind.Object } config || !config.TryGetProperty("Dhcp4", out var dhcp4))
        {
            return subnets;
        }

        foreach (var subnet in JsonValues.Subnets(dhcp4))
        {
            if (Number(subnet, "id") is not { } id)
            {
                continue;
            }

            var pools = new Dictionary<long, List<string>>();
            if (subnet.TryGetProperty("pools", out var poolList) && poolList.ValueKind == JsonValueKind.Array)
            {
                foreach (var pool in poolList.EnumerateArray())
                {
                    var poolId = Number(pool, "pool-id") ?? 0;
                    if (Text(pool, "pool") is { } range)
                    {
                        (pools.TryGetValue(poolId, out var ranges) ? ranges : pools[poolId] = []).Add(range);
                    }
                }
            }

            subnets[id] = (Text(subnet, "subnet"), pools);
        }

        return subnets;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    [GeneratedRegex(@"^subnet\[(?<subnet>\d+)\]\.(?:pool\[(?<pool>\d+)\]\.)?(?<name>total-addresses|assigned-addresses|declined-addresses)$")]
    private static partial Regex SubnetStatistic();
}
