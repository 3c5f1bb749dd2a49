using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Import;

/// <summary>
/// One server's configs to import: its name, where they came from (for the report), and how to read
/// them; <paramref name="LoadAgent"/> gives null when the server has no kea-ctrl-agent.conf.
/// </summary>
/// <param name="AssignedAddresses">the live server's IPv4 addresses; null for files.</param>
public sealed record ConfigSource(string Name, string Origin, Func<KeaConfigRead> Load, string? AgentOrigin, Func<KeaConfigRead?> LoadAgent, IReadOnlySet<string>? AssignedAddresses = null)
{
    /// <summary>
    /// A server's kea-dhcp4.conf on disk, and the kea-ctrl-agent.conf beside it when there is one; only for a
    /// file named kea-dhcp4.conf, so two servers' configs copied into one folder do not share a stray agent file.
    /// </summary>
    public static ConfigSource FromFile(string name, string path) => From(FileSystemPaths.LocalRoot(), name, System.IO.Path.GetFullPath(path), agentBeside: System.IO.Path.GetFileName(path) == TemplateSet.Dhcp4);

    /// <summary>The kea-dhcp4.conf at absolute <paramref name="path"/> of <paramref name="root"/>, with the kea-ctrl-agent.conf beside it when asked for and there.</summary>
    public static ConfigSource From(IFileSource root, string name, string path, bool agentBeside, IReadOnlySet<string>? assignedAddresses = null)
    {
        var agent = $"{System.IO.Path.GetDirectoryName(path)!.TrimEnd('/')}/{TemplateSet.ControlAgent}";
        var hasAgent = agentBeside && root.IsFileAt(agent);
        return new ConfigSource(
            name,
            root.DisplayAt(path),
            () => Required(KeaConfig.Load(root, path), root.DisplayAt(path)),
            hasAgent ? root.DisplayAt(agent) : null,
            () => hasAgent ? KeaConfig.Load(root, agent) : null,
            assignedAddresses);
    }

    /// <summary>A server's kea-dhcp4.conf must exist: a missing one is an error at its path.</summary>
    private static KeaConfigRead Required(KeaConfigRead read, string display) =>
        read.IsMissing ? KeaConfigRead.Failed(new KeaJsonError(SourceLocation.StartOf(display), $"{display} does not exist")) : read;
}

/// <summary>Where import writes the new inventory: a folder, written file by file.</summary>
public interface IImportWriter
{
    /// <summary>The folder's full path: the written inventory is validated and rendered from there.</summary>
    string Folder { get; }

    /// <summary>Whether the folder is absent or empty (import writes a new inventory, never over one).</summary>
    bool IsEmpty();

    /// <summary>Writes (or replaces) the file at <paramref name="relativePath"/> under the folder, creating its folders.</summary>
    void Write(string relativePath, string text);
}

public enum ImportOutcome
{
    /// <summary>The inventory and report are written.</summary>
    Written,

    /// <summary>A config could not be read, or the output folder is not empty: nothing written.</summary>
    Failed,

    /// <summary>--strict and the servers disagree: the report was made, nothing written.</summary>
    Conflicts,

    /// <summary>The options contradict the sources (--prefer names no server).</summary>
    BadOptions,

    /// <summary>A setting that changes what a server does would be left out, and --allow-loss was not given: nothing written.</summary>
    Loss,
}

/// <param name="Errors">what stopped the import, one line each, for the user.</param>
/// <param name="Report">the report before the check (printed as soon as it exists).</param>
/// <param name="Check">the report's last section: the written inventory validated and rendered back.</param>
public sealed record ImportResult(ImportOutcome Outcome, IReadOnlyList<string> Errors, ImportPlan? Plan = null, ImportOutput? Output = null, string? Check = null);

/// <param name="AllowLoss">write the inventory even though settings that change service are left out (each is still listed in the report).</param>
public sealed record ImportOptions(string? Prefer, bool Strict, ReservationGrouping Grouping = ReservationGrouping.Subnet, ImportConnection? Connection = null, bool AllowLoss = false);

/// <summary>
/// The import use case: read each server's configs, reconcile them, write the inventory through an
/// <see cref="IImportWriter"/>, check that it validates and renders the configs back, and write the report
/// (once, with that check).
/// </summary>
public static class ImportRun
{
    public static ImportResult Run(IReadOnlyList<ConfigSource> servers, ImportOptions options, IImportWriter writer)
    {
        if (options.Prefer is { } prefer && !servers.Any(s => s.Name == prefer))
        {
            return Stopped(ImportOutcome.BadOptions, $"keagitops import: --prefer {prefer}: not one of the --from servers ({string.Join(", ", servers.Select(s => s.Name))})");
        }

        if (!writer.IsEmpty())
        {
            return Stopped(ImportOutcome.Failed, $"keagitops import: {DisplayPath.Of(writer.Folder)} is not empty; import writes a new inventory into an empty folder");
        }

        var parsed = new List<KeaConfigRead>();
        try
        {
            var sources = new List<ImportSource>();
            foreach (var (name, origin, load, agentOrigin, loadAgent, assignedAddresses) in servers)
            {
                var result = load();
                parsed.Add(result);
                if (result.Config is null)
                {
                    return Stopped(ImportOutcome.Failed, $"{result.Error}", $"keagitops import: cannot read {name}'s config: nothing written");
                }

                var agent = loadAgent();
                if (agent is not null)
                {
                    parsed.Add(agent);
                    if (agent.Config is null)
                    {
                        return Stopped(ImportOutcome.Failed, $"{agent.Error}", $"keagitops import: cannot read {name}'s {TemplateSet.ControlAgent}: nothing written");
                    }
                }

                sources.Add(new ImportSource(name, agent is null ? origin : $"{origin} and {agentOrigin}", result.Config.Root, agent?.Config?.Root, assignedAddresses));
            }

            var (plan, output) = KeaImport.Run(sources, options.Prefer, options.Grouping, options.Connection);
            if (options.Strict && plan.HasConflicts)
            {
                return new ImportResult(ImportOutcome.Conflicts, [$"keagitops import: --strict: {plan.Findings.Count} conflict(s): nothing written"], plan, output);
            }

            if (!options.AllowLoss && Losses(plan) is { Count: > 0 } losses)
            {
                return new ImportResult(ImportOutcome.Loss, [.. losses, "keagitops import: the inventory would leave out the settings above, and the servers would run without them after a deploy: nothing written. Pass --allow-loss to write it anyway (the report lists each)."], plan, output);
            }

            foreach (var (relative, text) in output.Files.Where(f => f.Key != ImportOutput.ReportFile))
            {
                writer.Write(relative, text);
            }

            // The promise of the report: the inventory validates (or it says which rule breaks) and
            // renders back each server's config apart from what it listed. The report is written once, with that check.
            string check;
            try
            {
                check = ImportVerification.Check(new DiskFileSource(writer.Folder, workingDirectory: writer.Folder), sources, plan).ToMarkdown(plan.Preferred);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
            {
                // The inventory is written; a check that could not run says so instead of leaving a half-made folder behind a crash.
                check = $"\n{ImportCheck.Heading}\n\n- not completed: {e.Message}; run `keagitops validate` on the written inventory\n";
            }

            writer.Write(ImportOutput.ReportFile, output.Report + check);
            return new ImportResult(ImportOutcome.Written, [], plan, output, check);
        }
        finally
        {
            foreach (var result in parsed)
            {
                result.Dispose();
            }
        }
    }

    /// <summary>One line per server and kind of loss, with counts ("kea-dhcp-1: 60 reservations not imported: …").</summary>
    private static List<string> Losses(ImportPlan plan)
    {
        var lines = new List<string>();
        foreach (var (server, notes) in plan.NotImported)
        {
            var losses = notes.Where(n => n.IsLoss).ToList();
            var reservations = losses.Where(n => n.Path.EndsWith(']') && n.Path.Contains(".reservations[", StringComparison.Ordinal)).ToList();
            if (reservations.Count > 0)
            {
                lines.Add($"{server}: {reservations.Count} reservation(s) not imported, first {reservations[0]}");
            }

            lines.AddRange(losses.Except(reservations).Select(n => $"{server}: {n}"));
        }

        return lines;
    }

    private static ImportResult Stopped(ImportOutcome outcome, params string[] errors) => new(outcome, errors);
}
