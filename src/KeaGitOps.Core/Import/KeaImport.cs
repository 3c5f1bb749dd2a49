using System.Text.Json;

namespace KeaGitOps.Core.Import;

/// <summary>
/// One server's configs as the caller read them: the server's name, where they came from (for the
/// report), kea-dhcp4.conf's parsed root and, when the server has one, kea-ctrl-agent.conf's.
/// </summary>
public sealed record ImportSource(string Name, string Origin, JsonElement Root, JsonElement? Agent = null);

/// <summary>import = read each server's config → reconcile → write the inventory and report (as text: the caller writes files).</summary>
public static class KeaImport
{
    /// <param name="preferred">the server whose version wins each conflict; null for the first source.</param>
    public static (ImportPlan Plan, ImportOutput Output) Run(IReadOnlyList<ImportSource> sources, string? preferred, ReservationGrouping grouping = ReservationGrouping.Subnet)
    {
        var snapshots = sources.Select(s => KeaConfigReader.Read(s.Name, s.Root, s.Agent)).ToList();
        var plan = ImportReconciler.Reconcile(snapshots, preferred ?? sources[0].Name);
        return (plan, ImportWriter.Write(plan, sources.ToDictionary(s => s.Name, s => s.Origin), grouping));
    }
}
