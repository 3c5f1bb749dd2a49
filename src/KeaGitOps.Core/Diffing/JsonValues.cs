using System.Text.Json;

namespace KeaGitOps.Core.Diffing;

/// <summary>Reading values out of parsed Kea JSON that may hold anything (a hand-edited config): never throws on a wrong shape.</summary>
public static class JsonValues
{
    /// <summary>The string member <paramref name="key"/> of an object; null when absent, not a string, or not an object.</summary>
    public static string? Text(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The member <paramref name="key"/> of an object when it is of <paramref name="kind"/>; null when absent, of another kind, or not an object.</summary>
    public static JsonElement? Member(JsonElement element, string key, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == kind ? value : null;

    /// <summary>Every subnet of a Dhcp4 object: those of its subnet4 list, then those of each shared network's.</summary>
    public static IEnumerable<JsonElement> Subnets(JsonElement dhcp4) => SubnetsWithNetwork(dhcp4).Select(s => s.Subnet);

    /// <summary>Every subnet of a Dhcp4 object with the shared network it is in (null: at the top level), in <see cref="Subnets"/>' order.</summary>
    public static IEnumerable<(JsonElement Subnet, JsonElement? Network)> SubnetsWithNetwork(JsonElement dhcp4)
    {
        var top = Member(dhcp4, "subnet4", JsonValueKind.Array)?.EnumerateArray() ?? default;
        var networks = Member(dhcp4, "shared-networks", JsonValueKind.Array)?.EnumerateArray() ?? default;
        return top.Select(s => (s, (JsonElement?)null))
            .Concat(networks.SelectMany(n => (Member(n, "subnet4", JsonValueKind.Array)?.EnumerateArray() ?? default).Select(s => (s, (JsonElement?)n))))
            .Where(s => s.Item1.ValueKind == JsonValueKind.Object);
    }

    /// <summary>A scalar as Kea text: a string's value, true/false, a number or null as written.</summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
