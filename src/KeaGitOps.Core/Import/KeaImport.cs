using System.Text.Json;

namespace KeaGitOps.Core.Import;

/// <summary>
/// One server's configs as the caller read them: the server's name, where they came from (for the
/// report), kea-dhcp4.conf's parsed root and, when the server has one, kea-ctrl-agent.conf's.
/// </summary>
/// <param name="AssignedAddresses">the IPv4 addresses the live server has, when it was read over SSH.</param>
public sealed record ImportSource(string Name, string Origin, JsonElement Root, JsonElement? Agent = null, IReadOnlySet<string>? AssignedAddresses = null);

/// <summary>How the servers were reached over SSH when there was no inventory yet: written into the new one so deploy reaches them the same way.</summary>
/// <param name="Servers">per server: the host, user and port it was reached at.</param>
/// <param name="KeyFile">the private key used (absolute), or null for the default.</param>
/// <param name="KnownHosts">the known_hosts file the host keys were checked against (absolute), or null for the default.</param>
/// <param name="ConfigDirectory">where the configs were read, or null for /etc/kea.</param>
public sealed record ImportConnection(IReadOnlyDictionary<string, (string Host, string User, int Port)> Servers, string? KeyFile, string? KnownHosts, string? ConfigDirectory);

/// <summary>import = read each server's config → reconcile → write the inventory and report (as text: the caller writes files).</summary>
public static class KeaImport
{
    /// <param name="preferred">the server whose version wins each conflict; null for the first source.</param>
    /// <param name="connection">SSH settings to write into the inventory; null when there are none to keep.</param>
    public static (ImportPlan Plan, ImportOutput Output) Run(IReadOnlyList<ImportSource> sources, string? preferred, ReservationGrouping grouping = ReservationGrouping.Subnet, ImportConnection? connection = null)
    {
        var snapshots = sources.Select(s =>
        {
            var snapshot = KeaConfigReader.Read(s.Name, s.Root, s.Agent);
            snapshot.AssignedAddresses = s.AssignedAddresses;
            return snapshot;
        }).ToList();
        var plan = ImportReconciler.Reconcile(snapshots, preferred ?? sources[0].Name);
        var (files, assumptions) = InventoryWriter.Write(plan, grouping, connection);
        var report = ImportReport.Write(plan, sources.ToDictionary(s => s.Name, s => s.Origin), assumptions);
        files[ImportOutput.ReportFile] = report;
        return (plan, new ImportOutput(files, report));
    }
}
