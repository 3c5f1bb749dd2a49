using System.CommandLine;
using System.Text.Json;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Deploy;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops diff</c>: rendered vs live, structurally by JSON path; exit 0 no changes, 2 changes, 1 error.</summary>
public sealed class DiffCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();
    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();
    private readonly Option<string?> _server = CommonOptions.Server();
    private readonly Option<bool> _unified = new("--unified", "-u") { Description = "Also print a unified text diff of each changed file (live, canonicalised, against rendered)." };
    private readonly Option<bool> _exact = new("--exact") { Description = "Also show keys one side writes and the other leaves out whose value is Kea's default there (sync-timeout: 60000, option-data: []): no change to Kea, so not counted." };
    private readonly Option<string?> _base = new("--base", "-b")
    {
        Description = "Compare with the inventory at this git revision (branch, tag, commit, HEAD~1) instead of the live servers: the pull-request review diff. No server is contacted. Inside a GitHub or GitLab pull-request pipeline the default is the merge base with the target branch.",
        HelpName = "REF",
    };

    public Command Build()
    {
        var command = new Command("diff", "Compare each server's live Kea configs (read over SSH) with the rendered ones, by JSON path; with --base REF, compare with the inventory at a git revision instead. Exit 0: no changes; 2: changes; 1: error.")
        {
            _inventory, _format, _templates, _server, _unified, _exact, _base,
        };
        command.SetAction((parse, cancellation) => (parse.GetValue(_base) ?? GitRevision.PullRequestBase(parse.GetValue(_inventory)!.FullName)) is { } baseRef
            ? Task.FromResult(Review(parse.GetValue(_inventory)!, parse.GetValue(_format), parse.GetValue(_templates), baseRef, Console.Out))
            : RunAsync(parse.GetValue(_inventory)!, parse.GetValue(_format), parse.GetValue(_templates), parse.GetValue(_server), parse.GetValue(_unified), Console.Out, cancellation, parse.GetValue(_exact)));
        return command;
    }

    public static async Task<int> RunAsync(DirectoryInfo inventory, OutputFormat format, DirectoryInfo? templates, string? server, bool unified, TextWriter console, CancellationToken cancellation, bool exact = false)
    {
        var session = RemoteSession.Open(inventory, templates, server, new DiagnosticWriter(console, format, CommonOptions.UseColor()), console);
        if (session is null)
        {
            return ExitCodes.Failure;
        }

        var results = new List<object>();
        var changes = 0;
        var failed = false;
        var hosts = new Dictionary<string, IRemoteHost>(StringComparer.Ordinal);
        async Task<IRemoteHost> HostAsync(DeployTarget target)
        {
            if (!hosts.TryGetValue(target.Name, out var host))
            {
                host = await session.ConnectAsync(target, cancellation).ConfigureAwait(false);
                hosts.Add(target.Name, host);
            }

            return host;
        }

        var reserved = new List<ReservedAddress>();
        try
        {
            foreach (var target in session.Selected)
            {
                try
                {
                    var host = await HostAsync(target).ConfigureAwait(false);
                    var comparisons = await LiveDiff.CompareAsync(host, target, cancellation).ConfigureAwait(false);
                    reserved.AddRange(LeasePreflight.NewOrMoved(comparisons));
                    foreach (var comparison in comparisons)
                    {
                        using var owned = comparison;
                        var file = comparison.Rendered;
                        var status = comparison.Status.ToString().ToLowerInvariant();
                        changes += comparison.Status == LiveStatus.Unchanged ? 0 : 1;
                        if (comparison.Live is { } live && file.Name == TemplateSet.Dhcp4 && format != OutputFormat.Json)
                        {
                            console.WriteLine(live.DescribeOrigin() is { } origin
                                ? $"{target.Name}: runs a config {origin}"
                                : $"{target.Name}: its live config has no keagitops provenance (not deployed by keagitops, or edited by hand)");
                        }

                        var differences = comparison.Status is LiveStatus.Changed or LiveStatus.Unchanged ? comparison.Changes : null;
                        var defaults = exact && differences is not null ? comparison.DefaultsOnly : null;
                        results.Add(new { server = target.Name, file = comparison.LivePath, status, changes = differences?.Select(c => new { path = c.Path, kind = c.Kind.ToString().ToLowerInvariant(), before = c.Before, after = c.After }), keaDefaults = defaults?.Select(c => new { path = c.Path, kind = c.Kind.ToString().ToLowerInvariant(), before = c.Before, after = c.After }) });
                        if (format != OutputFormat.Json)
                        {
                            PrintText(console, target.Name, comparison, unified);
                            foreach (var change in defaults ?? [])
                            {
                                console.WriteLine(change.Kind == ChangeKind.Added
                                    ? $"  = {change.Path}: {change.After} (written only in the render; Kea's default either way)"
                                    : $"  = {change.Path}: {change.Before} (written only on the server; Kea's default either way)");
                            }
                        }
                    }
                }
                catch (RemoteStepException e)
                {
                    failed = true;
                    results.Add(new { server = target.Name, error = e.Message });
                    if (format != OutputFormat.Json)
                    {
                        console.WriteLine($"{target.Name}: connect: {e.Message}");
                    }
                }
            }

            // The lease preflight deploy runs, shown here as warnings only: diff reports what deploy would do, and
            // its exit code keeps meaning "changes or not" (deploy is where a leased address refuses).
            var leases = reserved.Count == 0 ? [] : await LeasePreflight.AskServersAsync(reserved, session.All, HostAsync, cancellation).ConfigureAwait(false);
            if (format == OutputFormat.Json)
            {
                console.WriteLine(JsonSerializer.Serialize(new { servers = results, changedFiles = changes, failed, leasePreflight = leases.Select(f => new { kind = f.Kind.ToString(), blocksDeploy = f.Blocks, message = f.Message }) }, DiagnosticWriter.JsonOptions));
            }
            else
            {
                foreach (var finding in leases)
                {
                    console.WriteLine($"lease preflight: {(finding.Blocks ? "deploy would refuse" : "warning")}: {finding.Message}");
                }
            }
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : changes > 0 ? ExitCodes.Changes : ExitCodes.Success;
    }

    /// <summary>
    /// The pull-request review: renders the inventory as it is at <paramref name="baseRef"/> (read from git
    /// objects) and as it is in the working tree, and shows what changes per server. An invalid inventory
    /// on either side is reported with the side it is on.
    /// </summary>
    public static int Review(DirectoryInfo inventory, OutputFormat format, DirectoryInfo? templates, string baseRef, TextWriter console)
    {
        var writer = new DiagnosticWriter(console, format, CommonOptions.UseColor());
        var templatesFolder = CommonOptions.TemplatesFolder(templates);
        var head = WorkingTree.Render(inventory, templates);
        GitRevision revision;
        try
        {
            revision = GitRevision.Open(inventory.FullName, baseRef);
        }
        catch (GitRevisionException e)
        {
            console.WriteLine($"keagitops: {e.Message}");
            return ExitCodes.Failure;
        }

        using (revision)
        {
            // Read from git's objects as they are at the base: no checkout, no temporary copy. Paths in the
            // base's findings read like the working tree's, as they are in the repository.
            if (revision.Folder(inventory.FullName) is not { } baseInventory)
            {
                console.WriteLine($"keagitops: {inventory} does not exist at {baseRef}; nothing to compare with");
                return ExitCodes.Failure;
            }

            var baseTemplates = templatesFolder is null ? null : revision.Folder(templatesFolder);
            var before = RenderPipeline.Default().Run(baseInventory, baseTemplates, () => null);
            var failed = false;
            foreach (var (side, result) in new[] { ($"at {baseRef}", before), ("in the working tree", head) })
            {
                if (!result.Succeeded)
                {
                    failed = true;
                    writer.Write(result.Diagnostics, $"{DiagnosticWriter.Summary(result.Diagnostics)} in the inventory {side}: it cannot be rendered");
                }
            }

            if (failed)
            {
                return ExitCodes.Failure;
            }

            var review = ReviewDiff.Between(before, head);
            ReviewWriter.Write(console, format, review, $"{baseRef} ({revision.Sha[..12]})");
            return review.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
        }
    }

    private static void PrintText(TextWriter console, string server, ConfigComparison comparison, bool unified)
    {
        var path = comparison.LivePath;
        switch (comparison.Status)
        {
            case LiveStatus.Missing:
                console.WriteLine($"{server}: {path}: missing on the server (deploy would create it)");
                return;
            case LiveStatus.Unreadable:
                console.WriteLine($"{server}: {path}: the live file is not valid Kea JSON (deploy would replace it): {comparison.Error}");
                return;
            case LiveStatus.Unchanged:
                console.WriteLine($"{server}: {path}: no changes");
                return;
        }

        console.WriteLine($"{server}: {path}: {comparison.Changes.Count} change(s)");
        foreach (var change in comparison.Changes)
        {
            console.WriteLine(change.Kind switch
            {
                ChangeKind.Added => $"  + {change.Path}: {change.After}",
                ChangeKind.Removed => $"  - {change.Path}: {change.Before}",
                _ => $"  ~ {change.Path}: {change.Before} -> {change.After}",
            });
        }

        if (unified && comparison.Live is { } live)
        {
            console.Write(UnifiedDiff.Render(path + " (live)", CanonicalJson.Write(live.Root), path + " (rendered)", comparison.Rendered.Text));
        }
    }
}
