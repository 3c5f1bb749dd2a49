using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;
using KeaGitOps.Remote.Status;

namespace KeaGitOps.Remote.Deploy;

/// <summary>One control-channel command that changes what a running kea-dhcp4 serves, and the one that undoes it.</summary>
public interface IRuntimeStep
{
    /// <summary>The command's name (for example reservation-add or subnet4-update).</summary>
    string Command { get; }

    /// <summary>Its arguments, as JSON text.</summary>
    string Arguments { get; }

    /// <summary>The steps that undo this one, in order.</summary>
    IReadOnlyList<IRuntimeStep> Undo();
}

/// <summary>One host_cmds step: a reservation deleted (by its identifier) or added, in one subnet.</summary>
public sealed record ReservationStep(bool Add, long SubnetId, ReservationIdentity Identity, string ReservationJson) : IRuntimeStep
{
    public string Command => Add ? "reservation-add" : "reservation-del";

    /// <summary>The arguments of reservation-add, or of reservation-del and reservation-get (which take the same ones).</summary>
    public string Arguments => Add
        ? $"{{ \"reservation\": {WithSubnetId()}, \"operation-target\": \"memory\" }}"
        : IdentityArguments();

    public string IdentityArguments() =>
        $"{{ \"subnet-id\": {SubnetId.ToString(CultureInfo.InvariantCulture)}, \"identifier-type\": {JsonSerializer.Serialize(Identity.KeaName)}, \"identifier\": {JsonSerializer.Serialize(Identity.Value)}, \"operation-target\": \"memory\" }}";

    public IReadOnlyList<IRuntimeStep> Undo() => [this with { Add = !Add }];

    public override string ToString() => $"{(Add ? "add" : "delete")} {Identity} in subnet {SubnetId}";

    private string WithSubnetId()
    {
        using var document = JsonDocument.Parse(ReservationJson);
        var members = document.RootElement.EnumerateObject().Where(m => m.Name != "subnet-id").Select(m => $"{JsonSerializer.Serialize(m.Name)}: {m.Value.GetRawText()}");
        return $"{{ {string.Join(", ", members.Append($"\"subnet-id\": {SubnetId.ToString(CultureInfo.InvariantCulture)}"))} }}";
    }
}

/// <summary>What a subnet_cmds step does to one subnet.</summary>
public enum SubnetAction
{
    /// <summary>subnet4-update: its settings replaced.</summary>
    Update,

    /// <summary>subnet4-add: a new subnet (at the top level; <see cref="Join"/> puts it in its network).</summary>
    Add,

    /// <summary>subnet4-del: the subnet gone (Kea deletes its reservations with it).</summary>
    Delete,

    /// <summary>network4-subnet-add: the subnet put into a shared network.</summary>
    Join,

    /// <summary>network4-subnet-del: the subnet taken out of its shared network (undoing a join; subnet4-del takes a subnet out itself).</summary>
    Leave,
}

/// <summary>
/// One subnet_cmds step on one subnet. <paramref name="SubnetJson"/> is the subnet as subnet4-update and
/// subnet4-add take it (everything but its reservations, which Kea keeps apart and these commands refuse):
/// the new settings, or for a deletion the live ones (which undoing it adds back); <paramref name="Before"/>
/// is what an update replaces; <paramref name="Network"/> the shared network a join or a leave names;
/// <paramref name="Reservations"/> those of a deleted subnet (subnet4-del deletes them with it), which
/// undoing it adds back.
/// </summary>
public sealed record SubnetStep(SubnetAction Action, long SubnetId, string SubnetJson, string? Before = null, string? Network = null, IReadOnlyList<ReservationStep>? Reservations = null) : IRuntimeStep
{
    public string Command => Action switch
    {
        SubnetAction.Update => "subnet4-update",
        SubnetAction.Add => "subnet4-add",
        SubnetAction.Delete => "subnet4-del",
        SubnetAction.Join => "network4-subnet-add",
        _ => "network4-subnet-del",
    };

    public string Arguments => Action switch
    {
        SubnetAction.Update or SubnetAction.Add => $"{{ \"subnet4\": [ {SubnetJson} ] }}",
        SubnetAction.Delete => $"{{ \"id\": {Id} }}",
        _ => $"{{ \"name\": {JsonSerializer.Serialize(Network)}, \"id\": {Id} }}",
    };

    public IReadOnlyList<IRuntimeStep> Undo() => Action switch
    {
        SubnetAction.Update => [this with { SubnetJson = Before!, Before = SubnetJson }],
        SubnetAction.Add => [this with { Action = SubnetAction.Delete }],
        SubnetAction.Delete =>
        [
            this with { Action = SubnetAction.Add, Reservations = null },
            .. Network is null ? [] : new[] { this with { Action = SubnetAction.Join, Reservations = null } },
            .. Reservations ?? [],
        ],
        SubnetAction.Join => [this with { Action = SubnetAction.Leave }],
        _ => [this with { Action = SubnetAction.Join }],
    };

    public override string ToString() => Action switch
    {
        SubnetAction.Update => $"update the settings of subnet {SubnetId}",
        SubnetAction.Add => $"add subnet {SubnetId}",
        SubnetAction.Delete => $"delete subnet {SubnetId}",
        SubnetAction.Join => $"put subnet {SubnetId} into shared network {Network}",
        _ => $"take subnet {SubnetId} out of shared network {Network}",
    };

    private string Id => SubnetId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A DHCPv4 change that Kea 3.0's command hooks apply to the running server, with no reload and no
/// restart, so that the HA service keeps running and no client goes unanswered: subnets through
/// subnet_cmds (settings of existing ones updated, new ones added and put into their shared network),
/// then reservations through host_cmds (every delete first: a changed reservation is deleted and added
/// again, and an address may move between two of them; then every add), then subnets deleted (Kea deletes
/// their reservations with them; undoing a deletion adds both back). The replaced file says the same, so a
/// later restart starts from this state.
///
/// Why subnet4-update gives the state a reload of the file gives (subnet_cmds.cc:654-820 in Kea 3.0.4):
/// the subnet is parsed as in a config, with the server's configured globals derived into it
/// (simple_parser4.cc:531, INHERIT_TO_SUBNET4), and replaced in place, in its shared network too; its
/// reservations live in the host store by subnet id and stay. A config parse derives a network subnet's
/// inherited settings from its network first; subnet_cmds knows only the globals, so each step carries
/// the network's values of those settings that the subnet does not set itself.
/// </summary>
public sealed partial class RuntimeChanges
{
    /// <summary>The settings a subnet inherits, which a config parse copies into it (simple_parser4.cc:312, Kea 3.0.4).</summary>
    private static readonly string[] InheritedBySubnets =
    [
        "rebind-timer", "relay", "renew-timer", "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime",
        "calculate-tee-times", "t1-percent", "t2-percent", "store-extended-info", "cache-threshold",
        "cache-max-age", "allocator", "offer-lifetime",
    ];

    private RuntimeChanges(IReadOnlyList<SubnetStep> subnets, IReadOnlyList<ReservationStep> reservations, int added, int removed, int changed)
    {
        SubnetSteps = subnets;
        ReservationSteps = reservations;
        Added = added;
        Removed = removed;
        Changed = changed;
    }

    public IReadOnlyList<SubnetStep> SubnetSteps { get; }

    public IReadOnlyList<ReservationStep> ReservationSteps { get; }

    /// <summary>Every step in the order they are sent: subnets updated and added, reservations, subnets deleted.</summary>
    public IReadOnlyList<IRuntimeStep> Steps =>
    [
        .. SubnetSteps.Where(s => !IsDeletion(s)),
        .. ReservationSteps,
        .. SubnetSteps.Where(IsDeletion),
    ];

    public int Added { get; }

    public int Removed { get; }

    public int Changed { get; }

    /// <summary>The hook libraries the steps need, by file name, with the commands each must offer.</summary>
    public IReadOnlyList<(string Library, string[] Commands)> Needs =>
    [
        .. SubnetSteps.Count > 0 ? [(KeaHooks.SubnetCommands, SubnetSteps.Select(s => s.Command).Append("subnet4-get").Distinct().ToArray())] : Array.Empty<(string, string[])>(),
        .. ReservationSteps.Count > 0 ? [(KeaHooks.HostCommands, new[] { "reservation-add", "reservation-del", "reservation-get" })] : Array.Empty<(string, string[])>(),
    ];

    public string Summary => string.Join("; ", new[]
    {
        Subnets(SubnetAction.Add, "added"),
        Subnets(SubnetAction.Update, "updated", "settings of "),
        Subnets(SubnetAction.Delete, "deleted"),
        ReservationSteps.Count > 0 ? $"{Added} reservation(s) added, {Removed} removed, {Changed} changed" : null,
    }.OfType<string>());

    /// <summary>The hooks that applied it, for the report (for example "subnet_cmds, host_cmds").</summary>
    public string By => string.Join(", ", Needs.Select(n => n.Library.Replace("libdhcp_", string.Empty, StringComparison.Ordinal).Replace(".so", string.Empty, StringComparison.Ordinal)));

    private string? Subnets(SubnetAction action, string done, string prefix = "") =>
        SubnetSteps.Where(s => s.Action == action).Select(s => s.SubnetId).ToList() is { Count: > 0 } ids ? $"{prefix}subnet {string.Join(", ", ids)} {done}" : null;

    private static bool IsDeletion(SubnetStep step) => step.Action is SubnetAction.Delete;

    /// <summary>
    /// The steps that take the live config to the rendered one, or null with the reason when the change is
    /// more than subnets and reservations (then a reload or a restart applies it).
    /// </summary>
    public static (RuntimeChanges? Plan, string? Reason) Plan(IReadOnlyList<ConfigComparison> comparisons)
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

        var withReservations = new SortedSet<long>();
        var withSettings = new SortedSet<long>();
        var whole = new SortedSet<long>();
        foreach (var change in dhcp4.Changes)
        {
            var match = SubnetPath().Match(change.Path);
            if (!match.Success)
            {
                return (null, $"{change.Path} changed, which neither host_cmds nor subnet_cmds apply");
            }

            var subnet = long.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture);
            switch (match.Groups["key"].Value)
            {
                case "":
                    // The subnet itself added or removed at this path (or both, moved between networks).
                    whole.Add(subnet);
                    break;
                case "reservations":
                    withReservations.Add(subnet);
                    break;
                case "subnet":
                    return (null, $"{change.Path} changed: the prefix of subnet {subnet} moves, which a reload applies");
                default:
                    withSettings.Add(subnet);
                    break;
            }
        }

        using var wanted = KeaConfig.FromRendered(dhcp4.Rendered.Utf8, dhcp4.Rendered.Name);
        var subnetSteps = new List<SubnetStep>();
        foreach (var subnet in withSettings)
        {
            if (Subnet(wanted.Root, subnet) is not { } after || Subnet(live.Root, subnet) is not { } before)
            {
                return (null, $"subnet {subnet} is not found once in both configs");
            }

            subnetSteps.Add(new SubnetStep(SubnetAction.Update, subnet, after.Json, before.Json));
        }

        var created = new List<(long Id, SubnetFound Subnet)>();
        var deleted = new List<(long Id, SubnetFound Subnet)>();
        foreach (var subnet in whole)
        {
            switch (Subnet(wanted.Root, subnet), Subnet(live.Root, subnet))
            {
                case ({ } after, { } before):
                    var move = (before.Network, after.Network) switch
                    {
                        (null, _) => "into a shared network",
                        (_, null) => "out of its shared network",
                        _ => "between shared networks",
                    };
                    return (null, $"subnet {subnet} moves {move}, which a reload applies");
                case ({ } after, null):
                    created.Add((subnet, after));
                    break;
                case (null, { } before):
                    deleted.Add((subnet, before));
                    break;
                default:
                    return (null, $"subnet {subnet} is not found once in either config");
            }
        }

        // Kea refuses a second subnet with a prefix it has (cfg_subnets4.cc:33), so a subnet renumbered in
        // place cannot be added before its old number is deleted; a reload replaces both at once.
        if (created.FirstOrDefault(c => deleted.Any(d => d.Subnet.Prefix == c.Subnet.Prefix)) is ({ } renumbered, { } same))
        {
            return (null, $"subnet {same.Prefix} is renumbered to id {renumbered}, which a reload applies");
        }

        foreach (var (id, subnet) in created)
        {
            subnetSteps.Add(new SubnetStep(SubnetAction.Add, id, subnet.Json));
            subnetSteps.AddRange(subnet.Network is { } network ? [new SubnetStep(SubnetAction.Join, id, subnet.Json, Network: network)] : []);
            withReservations.Add(id);
        }

        foreach (var (id, subnet) in deleted)
        {
            var reservations = (Reservations(live.Root, id) ?? []).Select(r => new ReservationStep(true, id, r.Key, r.Value)).ToList();
            subnetSteps.Add(new SubnetStep(SubnetAction.Delete, id, subnet.Json, Network: subnet.Network, Reservations: reservations));
        }

        var deletes = new List<ReservationStep>();
        var adds = new List<ReservationStep>();
        int added = 0, removed = 0, changed = 0;
        foreach (var subnet in withReservations)
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

        List<ReservationStep> reservationSteps = [.. deletes, .. adds];
        return subnetSteps.Count + reservationSteps.Count > 0
            ? (new RuntimeChanges(subnetSteps, reservationSteps, added, removed, changed), null)
            : (null, "no subnet or reservation differs");
    }

    /// <summary>
    /// Asks the running server whether it holds what the steps left, one subnet and one reservation at a
    /// time (a whole config-get carries every reservation of the config), each compared as status
    /// compares a running config with its file (Kea adds its defaults): each subnet updated or added
    /// present with every rendered setting, each deleted one absent (subnet4-get); each reservation
    /// present with every setting where one was added, absent where one was only deleted
    /// (reservation-get). Null when all hold, else what does not.
    /// </summary>
    public async Task<string?> VerifyAsync(KeaControlChannel channel, CancellationToken cancellation)
    {
        foreach (var step in SubnetSteps.Where(s => s.Action is SubnetAction.Update or SubnetAction.Add or SubnetAction.Delete))
        {
            var answer = await channel.CommandAsync("subnet4-get", $"{{ \"id\": {step.SubnetId.ToString(CultureInfo.InvariantCulture)} }}", cancellation).ConfigureAwait(false);
            if (step.Action == SubnetAction.Delete)
            {
                if (answer.Result != KeaAnswer.Empty)
                {
                    return $"subnet4-get still finds subnet {step.SubnetId} after its deletion ({answer.Text})";
                }

                continue;
            }

            if (answer.Result != KeaAnswer.Success || answer.Arguments is not { } arguments || JsonValues.Member(arguments, "subnet4", JsonValueKind.Array) is not { } found || found.GetArrayLength() != 1)
            {
                return $"subnet4-get of subnet {step.SubnetId} answered {answer.Result} ({answer.Text}), not the subnet just {(step.Action == SubnetAction.Add ? "added" : "updated")}";
            }

            using var wanted = JsonDocument.Parse(step.SubnetJson);
            if (RunningConfigDrift.Compare(wanted.RootElement, found[0], limit: 3) is { Count: > 0 } differences)
            {
                return $"subnet {step.SubnetId} does not run as rendered after {step.Command}: {string.Join("; ", differences)}";
            }
        }

        var last = ReservationSteps.GroupBy(s => (s.SubnetId, s.Identity)).Select(g => g.Last());
        foreach (var step in last)
        {
            var answer = await channel.CommandAsync("reservation-get", step.IdentityArguments(), cancellation).ConfigureAwait(false);
            if (step.Add)
            {
                // Every setting of the reservation (address, hostname, options, classes...) must be what runs,
                // compared as status compares a running config with its file (Kea adds its defaults).
                if (answer.Result != KeaAnswer.Success || answer.Arguments is not { ValueKind: JsonValueKind.Object } got)
                {
                    return $"reservation-get of {step.Identity} in subnet {step.SubnetId} answered {answer.Result} ({answer.Text}), not the added reservation";
                }

                using var wanted = JsonDocument.Parse(step.ReservationJson);
                if (RunningConfigDrift.Compare(wanted.RootElement, got, limit: 3) is { Count: > 0 } differences)
                {
                    return $"reservation-get of {step.Identity} in subnet {step.SubnetId} does not answer the added reservation: {string.Join("; ", differences)}";
                }
            }
            else if (answer.Result != KeaAnswer.Empty)
            {
                return $"reservation-get of {step.Identity} in subnet {step.SubnetId} still finds it after its deletion ({answer.Text})";
            }
        }

        return null;
    }

    private static bool SameJson(string a, string b)
    {
        using var left = JsonDocument.Parse(a);
        using var right = JsonDocument.Parse(b);
        return JsonDiff.Compare(left.RootElement, right.RootElement).Count == 0;
    }

    /// <summary>A subnet as subnet4-update and subnet4-add take it (JSON text), its prefix, and the shared network it is in (null: none).</summary>
    private sealed record SubnetFound(string Json, string? Prefix, string? Network);

    /// <summary>
    /// The subnet with id <paramref name="subnetId"/>: without its reservations, with its shared network's
    /// inherited settings it does not set itself. Null when the config has it not exactly once.
    /// </summary>
    private static SubnetFound? Subnet(JsonElement root, long subnetId)
    {
        if (JsonValues.Member(root, "Dhcp4", JsonValueKind.Object) is not { } dhcp4)
        {
            return null;
        }

        if (JsonValues.SubnetsWithNetwork(dhcp4).Where(s => HasId(s.Subnet, subnetId)).ToList() is not [var (own, parent)])
        {
            return null;
        }

        var members = own.EnumerateObject().Where(m => m.Name != "reservations").Select(m => (m.Name, Json: m.Value.GetRawText())).ToList();
        if (parent is { } itsNetwork)
        {
            members.AddRange(InheritedBySubnets
                .Where(key => !own.TryGetProperty(key, out _) && itsNetwork.TryGetProperty(key, out _))
                .Select(key => (key, itsNetwork.GetProperty(key).GetRawText())));
        }

        var json = $"{{ {string.Join(", ", members.Select(m => $"{JsonSerializer.Serialize(m.Name)}: {m.Json}"))} }}";
        return new SubnetFound(json, JsonValues.Text(own, "subnet"), parent is { } named ? JsonValues.Text(named, "name") ?? string.Empty : null);
    }

    private static bool HasId(JsonElement subnet, long subnetId) =>
        subnet.ValueKind == JsonValueKind.Object && subnet.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) && value == subnetId;

    /// <summary>The subnet's reservations by identity (none: empty), or null when one has no identifier or two share one.</summary>
    private static Dictionary<ReservationIdentity, string>? Reservations(JsonElement root, long subnetId)
    {
        var result = new Dictionary<ReservationIdentity, string>();
        if (JsonValues.Member(root, "Dhcp4", JsonValueKind.Object) is not { } dhcp4)
        {
            return result;
        }

        foreach (var subnet in JsonValues.Subnets(dhcp4).Where(s => HasId(s, subnetId)))
        {
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

    // A subnet (added or removed) or a member of one, of a shared network's subnet too (a network whose
    // name holds ']' does not match: that change is reloaded).
    [GeneratedRegex(@"^Dhcp4\.(?:shared-networks\[[^\]]*\]\.)?subnet4\[id=(?<id>\d+)\](?:$|\.(?<key>[^.\[]+))")]
    private static partial Regex SubnetPath();
}
