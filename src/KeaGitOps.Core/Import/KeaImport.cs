using System.Text.Json;

namespace KeaGitOps.Core.Import;

/// <summary>One server's config as the caller read it: the server's name, where it came from (for the report), its parsed root.</summary>
public sealed record ImportSource(string Name, string Origin, JsonElement Root);

/// <summary>import = read each server's config → reconcile → write the inventory and report (as text: the caller writes files).</summary>
public static class KeaImport
{
    /// <param name="preferred">the server whose version wins each conflict; null for the first source.</param>
    public static (ImportPlan Plan, ImportOutput Output) Run(IReadOnlyList<ImportSource> sources, string? preferred, ReservationGrouping grouping = ReservationGrouping.Subnet)
    {
        var snapshots = sources.Select(s => KeaConfigReader.Read(s.Name, s.Root)).ToList();
        var plan = ImportReconciler.Reconcile(snapshots, preferred ?? sources[0].Name);
        return (plan, ImportWriter.Write(plan, sources.ToDictionary(s => s.Name, s => s.Origin), grouping));
    }
}
