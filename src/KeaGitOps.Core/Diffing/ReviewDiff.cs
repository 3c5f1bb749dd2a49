using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;

namespace KeaGitOps.Core.Diffing;

/// <summary>What changes in one rendered file of one server between two revisions.</summary>
public sealed record FileChanges(string Server, string File, IReadOnlyList<JsonChange> Changes);

/// <summary>A reservation as a reviewer thinks of it: who (identifier), where (subnet and address), named what.</summary>
public sealed record ReservationChange(string Kind, long SubnetId, string Identifier, string? Before, string? After);

/// <summary>
/// The pull-request view: per server, what changes in the rendered configs (by JSON path), and in
/// words what changed in the inventory (reservations added, removed, moved; other sections touched).
/// keagitops' own provenance is left out: it changes with every commit.
/// </summary>
public sealed record ReviewDiff(IReadOnlyList<FileChanges> Files, IReadOnlyList<ReservationChange> Reservations, IReadOnlyList<string> Sections)
{
    public bool HasChanges => Files.Any(f => f.Changes.Count > 0);

    public static ReviewDiff Between(RenderResult before, RenderResult after)
    {
        var files = new List<FileChanges>();
        foreach (var server in after.Servers!)
        {
            var old = before.Servers!.FirstOrDefault(s => s.Name == server.Name);
            foreach (var file in server.Files)
            {
                using var now = KeaConfig.FromRendered(file.Utf8, file.Name);
                using var then = KeaConfig.FromRendered(old?.Files.FirstOrDefault(f => f.Name == file.Name)?.Utf8 ?? "{}"u8.ToArray(), file.Name);
                var changes = then.ChangesTo(now);
                files.Add(new FileChanges(server.Name, file.Name, changes));
            }
        }

        var sections = files.SelectMany(f => f.Changes).Select(c => Section(c.Path)).Where(s => s is not null).Distinct().Order(StringComparer.Ordinal).ToList();
        return new ReviewDiff(files, ReservationChanges(before.Inventory!, after.Inventory!), sections!);
    }

    private static List<ReservationChange> ReservationChanges(InventoryModel before, InventoryModel after)
    {
        static Dictionary<(long, string), Reservation> Index(InventoryModel model) =>
            model.AllSubnets.SelectMany(s => s.Reservations.Select(r => (Key: (s.Id ?? 0, Identifier(r)), Reservation: r)))
                .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Reservation);

        var then = Index(before);
        var now = Index(after);
        var changes = new List<ReservationChange>();
        foreach (var (key, reservation) in now)
        {
            if (!then.TryGetValue(key, out var old))
            {
                changes.Add(new ReservationChange("added", key.Item1, key.Item2, null, Describe(reservation)));
            }
            else if (Describe(old) != Describe(reservation))
            {
                changes.Add(new ReservationChange(old.IpAddress != reservation.IpAddress ? "moved" : "changed", key.Item1, key.Item2, Describe(old), Describe(reservation)));
            }
        }

        changes.AddRange(then.Where(x => !now.ContainsKey(x.Key)).Select(x => new ReservationChange("removed", x.Key.Item1, x.Key.Item2, Describe(x.Value), null)));
        return changes.OrderBy(c => c.SubnetId).ThenBy(c => c.Identifier, StringComparer.Ordinal).ToList();
    }

    private static string Identifier(Reservation r) => r.Identity?.Value ?? $"ip-address {r.IpAddress}";

    private static string Describe(Reservation r) => $"{r.IpAddress} {r.Hostname}".Trim();

    /// <summary>The inventory section a config path belongs to, for the one-line summary.</summary>
    private static string? Section(string path) => path switch
    {
        _ when path.Contains(".reservations", StringComparison.Ordinal) => null, // summarised one by one
        _ when path.StartsWith("Dhcp4.subnet4", StringComparison.Ordinal) => "subnets",
        _ when path.StartsWith("Dhcp4.option-data", StringComparison.Ordinal) => "options",
        _ when path.StartsWith("Dhcp4.hooks-libraries", StringComparison.Ordinal) => "high availability",
        _ when path.Contains("timer", StringComparison.Ordinal) || path.Contains("lifetime", StringComparison.Ordinal) => "timers",
        _ when path.StartsWith("Control-agent", StringComparison.Ordinal) => "control agent",
        _ => "other settings",
    };
}
