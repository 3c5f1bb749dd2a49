using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>One host_cmds step: a reservation deleted (by its identifier) or added, in one subnet.</summary>
public sealed record ReservationStep(bool Add, long SubnetId, ReservationIdentity Identity, string ReservationJson)
{
    /// <summary>The arguments of reservation-add, or of reservation-del and reservation-get (which take the same ones).</summary>
    public string Arguments => Add
        ? $"{{ \"reservation\": {WithSubnetId()}, \"operation-target\": \"memory\" }}"
        : IdentityArguments();

    public string IdentityArguments() =>
        $"{{ \"subnet-id\": {SubnetId.ToString(CultureInfo.InvariantCulture)}, \"identifier-type\": {JsonSerializer.Serialize(Identity.KeaName)}, \"identifier\": {JsonSerializer.Serialize(Identity.Value)}, \"operation-target\": \"memory\" }}";

    /// <summary>The step that undoes this one.</summary>
    public ReservationStep Inverse() => this with { Add = !Add };

    public override string ToString() => $"{(Add ? "add" : "delete")} {Identity} in subnet {SubnetId}";

    private string WithSubnetId()
    {
        using var document = JsonDocument.Parse(ReservationJson);
        var members = document.RootElement.EnumerateObject().Where(m => m.Name != "subnet-id").Select(m => $"{JsonSerializer.Serialize(m.Name)}: {m.Value.GetRawText()}");
        return $"{{ {string.Join(", ", members.Append($"\"subnet-id\": {SubnetId.ToString(CultureInfo.InvariantCulture)}"))} }}";
    }
}

/// <summary>
/// A change that only adds, removes or changes reservations, as host_cmds steps: every delete first
/// (a changed reservation is deleted and added again, and an address may move between two of them),
/// then every add. Kea keeps the file's reservations and the ones added at runtime in one in-memory
/// store, so after these steps the running server holds what the new file says.
/// </summary>
public sealed partial class RuntimeReservations
{
    private RuntimeReservations(IReadOnlyList<ReservationStep> steps, int added, int removed, int changed)
    {
        Steps = steps;
        Added = added;
        Removed = removed;
        Changed = changed;
    }

    public IReadOnlyList<ReservationStep> Steps { get; }

    public int Added { get; }

    public int Removed { get; }

    public int Changed { get; }

    public string Summary => $"{Added} reservation(s) added, {Removed} removed, {Changed} changed";

    /// <summary>
    /// The steps that take the live config to the rendered one, or null with the reason when the
    /// change is more than reservations (then a reload or a restart applies it).
    /// </summary>
    public static (RuntimeReservations? Plan, string? Reason) Plan(IReadOnlyList<ConfigComparison> comparisons)
    {
        if (comparisons.Any(c => c.Rendered.Name != TemplateSet.Dhcp4 && c.Status != LiveStatus.Unchanged))
        {
            return (null, "the Control Agent's config changed too");
        }

        var dhcp4 = comparisons.FirstOrDefault(c => c.Rendered.Name == TemplateSet.Dhcp4);
        if (dhcp4 is not { Status: LiveStatus.Changed, Live: { } live })
        {
            return (null, dhcp4 is null ? "no DHCPv4 config" : $"the live config is {dhcp4.Status.ToString().ToLowerInvariant()}");
        }

        var subnets = new SortedSet<long>();
        foreach (var change in dhcp4.Changes)
        {
            var match = ReservationPath().Match(change.Path);
            if (!match.Success)
            {
                return (null, $"{change.Path} changed, which host_cmds cannot apply");
            }

            subnets.Add(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        using var wanted = KeaConfig.FromRendered(dhcp4.Rendered.Utf8, dhcp4.Rendered.Name);
        var deletes = new List<ReservationStep>();
        var adds = new List<ReservationStep>();
        int added = 0, removed = 0, changed = 0;
        foreach (var subnet in subnets)
        {
            var before = Reservations(live.Root, subnet);
            var after = Reservations(wanted.Root, subnet);
            if (before is null || after is null)
            {
                return (null, $"the reservations of subnet {subnet} cannot be matched by identifier");
            }

            foreach (var (identity, json) in before)
            {
                if (!after.TryGetValue(identity, out var next))
                {
                    deletes.Add(new ReservationStep(false, subnet, identity, json));
                    removed++;
                }
                else if (!SameJson(json, next))
                {
                    deletes.Add(new ReservationStep(false, subnet, identity, json));
                    adds.Add(new ReservationStep(true, subnet, identity, next));
                    changed++;
                }
            }

            foreach (var (identity, json) in after.Where(a => !before.ContainsKey(a.Key)))
            {
                adds.Add(new ReservationStep(true, subnet, identity, json));
                added++;
            }
        }

        List<ReservationStep> steps = [.. deletes, .. adds];
        return steps.Count > 0 ? (new RuntimeReservations(steps, added, removed, changed), null) : (null, "no reservation differs");
    }

    /// <summary>
    /// Asks the running server for each reservation the steps leave: present with its address where one
    /// was added, absent where one was only deleted. Null when all hold, else what does not.
    /// </summary>
    public async Task<string?> VerifyAsync(KeaControlChannel channel, CancellationToken cancellation)
    {
        var last = Steps.GroupBy(s => (s.SubnetId, s.Identity)).Select(g => g.Last());
        foreach (var step in last)
        {
            var answer = await channel.CommandAsync("reservation-get", step.IdentityArguments(), cancellation).ConfigureAwait(false);
            if (step.Add)
            {
                var expected = Address(step.ReservationJson);
                var got = answer.Arguments is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty("ip-address", out var ip) ? ip.GetString() : null;
                if (answer.Result != KeaAnswer.Success || got != expected)
                {
                    return $"reservation-get of {step.Identity} in subnet {step.SubnetId} answered {answer.Result} ({answer.Text}){(got is null ? string.Empty : $", address {got}")}, not the added reservation for {expected}";
                }
            }
            else if (answer.Result != KeaAnswer.Empty)
            {
                return $"reservation-get of {step.Identity} in subnet {step.SubnetId} still finds it after its deletion ({answer.Text})";
            }
        }

        return null;
    }

    private static string? Address(string reservationJson)
    {
        using var document = JsonDocument.Parse(reservationJson);
        return document.RootElement.TryGetProperty("ip-address", out var ip) ? ip.GetString() : null;
    }

    private static bool SameJson(string a, string b)
    {
        using var left = JsonDocument.Parse(a);
        using var right = JsonDocument.Parse(b);
        return JsonDiff.Compare(left.RootElement, right.RootElement).Count == 0;
    }

    /// <summary>The subnet's reservations by identity (none: empty), or null when one has no identifier or two share one.</summary>
    private static Dictionary<ReservationIdentity, string>? Reservations(JsonElement root, long subnetId)
    {
        var result = new Dictionary<ReservationIdentity, string>();
        if (JsonValues.Member(root, "Dhcp4", JsonValueKind.Object) is not { } dhcp4)
        {
            return result;
        }

        foreach (var subnet in JsonValues.Subnets(dhcp4))
        {
            if (!subnet.TryGetProperty("id", out var id) || !id.TryGetInt64(out var value) || value != subnetId)
            {
                continue;
            }

            if (!subnet.TryGetProperty("reservations", out var reservations) || reservations.ValueKind != JsonValueKind.Array)
            {
                return result;
            }

            foreach (var reservation in reservations.EnumerateArray())
            {
                if (ReservationIdentity.Of(reservation) is not { } identity || !result.TryAdd(identity, reservation.GetRawText()))
                {
                    return null;
                }
            }
        }

        return result;
    }

    // A subnet of a shared network too (a network whose name holds ']' does not match: that change restarts).
    [GeneratedRegex(@"^Dhcp4\.(?:shared-networks\[[^\]]*\]\.)?subnet4\[id=(\d+)\]\.reservations(?:$|[.\[])")]
    private static partial Regex ReservationPath();
}
