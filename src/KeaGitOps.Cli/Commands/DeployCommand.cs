using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;
using KeaGitOps.Remote.Deploy;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// <c>keagitops deploy</c>: plan, then apply server by server (secondary before primary), stopping at
/// the first failure. Exit 0 applied or nothing to do; 2 --dry-run found changes; 1 failed.
/// </summary>
public sealed class DeployCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();
    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();
    private readonly Option<string?> _server = CommonOptions.Server();
    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "Show what would change on each server and exit (2 when something would change)." };
    private readonly Option<bool> _force = new("--force") { Description = "With --server NAME only: restart that server even though it is the only one answering DHCP clients (they go unanswered while it restarts). A server that is down while its partner answers is repaired without it." };
    private readonly Option<bool> _allowLeased = new("--allow-leased") { Description = "Deploy even when a reservation added or moved names an address that a server leases to another client (the lease preflight refuses that otherwise): Kea then gives the reserved client another address until that lease ends, and the holder loses the address at its next renewal." };
    private readonly Option<bool> _allowDirty = new("--allow-dirty") { Description = "Deploy although the inventory or templates have uncommitted changes (the configs then say source-dirty: true)." };

    public Command Build()
    {
        var command = new Command("deploy", "Apply the rendered configs over SSH, one server at a time (secondary first), after checking every server's leases for the reservations added or moved (refused when another client holds a reserved address, unless --allow-leased): lock, compare, check the host, check the partner, upload, kea-dhcp4 -t, back up, replace, then apply the cheapest way: subnets and reservations at runtime (subnet_cmds, host_cmds: no reload, no restart), another change of kea-dhcp4.conf alone by config-reload, anything else by a restart; read back and verify; roll back on failure. Exit 0: applied or nothing to do; 2: --dry-run found changes; 1: failed.")
        {
            _inventory, _format, _templates, _server, _dryRun, _force, _allowLeased, _allowDirty,
        };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(_inventory)!, parse.GetValue(_format), parse.GetValue(_templates), parse.GetValue(_server), parse.GetValue(_dryRun), parse.GetValue(_force), Console.Out, cancellation, parse.GetValue(_allowDirty), parse.GetValue(_allowLeased)));
        return command;
    }

    public static Task<int> RunAsync(DirectoryInfo inventory, OutputFormat format, DirectoryInfo? templates, string? server, bool dryRun, bool force, TextWriter console, CancellationToken cancellation, bool allowDirty = false, bool allowLeased = false) =>
        RunAsync(inventory, format, templates, server, dryRun, force, console, RemoteSession.ConnectAsync, cancellation, allowDirty, allowLeased);

    /// <param name="connect">how a server is reached (tests give fakes).</param>
    internal static async Task<int> RunAsync(DirectoryInfo inventory, OutputFormat format, DirectoryInfo? templates, string? server, bool dryRun, bool force, TextWriter console, ServerConnector connect, CancellationToken cancellation, bool allowDirty = false, bool allowLeased = false)
    {
        // Forcing risks the service of one server's clients, knowingly: it never carries over to a partner.
        if (force && server is null && !dryRun)
        {
            console.WriteLine("keagitops: --force applies to one server: name it with --server NAME (it restarts that server even when it is the only one answering DHCP clients)");
            return ExitCodes.Failure;
        }

        // What is deployed must be what is in git: uncommitted edits would run on the servers untraceably.
        // The inventory is validated and rendered meanwhile (nothing is printed until the guards pass), and
        // the servers are connected to as soon as it is bound, unless the tree is refused: a no-op deploy
        // is little more than validating and two handshakes, so they overlap. Nothing runs on a server
        // before the render has passed.
        var reading = WorkingTree.ReadRevisionAsync(inventory, templates);
        var mayConnect = reading.ContinueWith(r => r.IsCompletedSuccessfully && (dryRun || allowDirty || r.Result is not { Dirty: true }), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await using var connections = new EarlyConnections(connect, server, mayConnect, cancellation);
        var rendering = Task.Run(() => WorkingTree.Render(inventory, templates, reading, connections.Tap), CancellationToken.None);
        SourceRevision? revision;
        using (PhaseTimer.Measure("git revision"))
        {
            revision = await reading.ConfigureAwait(false);
        }

        if (revision is { Dirty: true } && !allowDirty && !dryRun)
        {
            console.WriteLine($"keagitops: {inventory} (or the templates) has uncommitted changes; commit them first, or pass --allow-dirty (the configs will say source-dirty: true)");
            return ExitCodes.Failure;
        }

        RenderResult rendered;
        using (PhaseTimer.Measure("validated and rendered"))
        {
            rendered = await rendering.ConfigureAwait(false);
        }

        var session = RemoteSession.Open(rendered, server, new DiagnosticWriter(console, format, CommonOptions.UseColor()), console);
        if (session is null)
        {
            return ExitCodes.Failure;
        }

        if (session.Inventory.Git.DeployBranch is { } deployBranch && !dryRun && GitProvenance.CurrentBranch(inventory.FullName) is var branch && branch != deployBranch)
        {
            console.WriteLine($"keagitops: deploys run only from branch {deployBranch} (git.deploy-branch), but {(branch is null ? "no branch (a detached HEAD)" : $"branch {branch}")} is checked out; merge the change into {deployBranch} and deploy from there");
            return ExitCodes.Failure;
        }

        var owner = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}";
        var progress = new ConsoleProgress(format == OutputFormat.Json ? TextWriter.Null : console);
        var deployer = new Deployer((target, token) => connections.ConnectAsync(session.Inventory, target.Server, token), progress);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ServerReport> reports;
        try
        {
            reports = await deployer.DeployAsync(session.Selected, session.All, new DeployOptions(dryRun, force, owner) { AllowLeased = allowLeased }, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("interrupted before any live config was replaced; every server keeps the config it had");
            return ExitCodes.Failure;
        }

        if (revision is { Dirty: false })
        {
            using var timer = PhaseTimer.Measure("record deployments");
            foreach (var applied in reports.Where(r => r.Outcome is ServerOutcome.Applied or ServerOutcome.Unchanged))
            {
                DeploymentRecords.Record(inventory.FullName, applied.Server, revision.Commit);
            }
        }

        if (format == OutputFormat.Json)
        {
            console.WriteLine(JsonSerializer.Serialize(new { servers = reports.Select(r => new { server = r.Server, outcome = r.Outcome.ToString(), step = r.Step, message = r.Message, seconds = Math.Round(r.Duration.TotalSeconds, 2), changed = r.ChangedFiles }) }, DiagnosticWriter.JsonOptions));
        }
        else
        {
            PrintSummary(console, reports, clock.Elapsed);
        }

        if (cancellation.IsCancellationRequested)
        {
            // A server already replaced was finished (or rolled back) and verified; none after it was touched.
            console.WriteLine("interrupted: servers marked NotAttempted were not touched; run deploy again to finish");
            return ExitCodes.Failure;
        }

        if (reports.Any(r => r.Outcome is ServerOutcome.Refused or ServerOutcome.RolledBack or ServerOutcome.RollbackFailed))
        {
            return ExitCodes.Failure;
        }

        return reports.Any(r => r.Outcome == ServerOutcome.WouldChange) ? ExitCodes.Changes : ExitCodes.Success;
    }

    private static void PrintSummary(TextWriter console, IReadOnlyList<ServerReport> reports, TimeSpan elapsed)
    {
        var width = Math.Max(6, reports.Max(r => r.Server.Length));
        console.WriteLine();
        console.WriteLine($"{"server".PadRight(width)}  {"outcome",-14}  {"step",-18}  {"time",6}  message");
        foreach (var r in reports)
        {
            console.WriteLine($"{r.Server.PadRight(width)}  {r.Outcome,-14}  {r.Step,-18}  {r.Duration.TotalSeconds,5:0.0}s  {r.Message}");
        }

        console.WriteLine($"total {elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>One line per server and step, as it happens.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IDeployProgress
    {
        private readonly Lock _line = new();

        /// <summary>Servers are read side by side: one whole line at a time.</summary>
        public void Step(string server, string step, string detail)
        {
            lock (_line)
            {
                output.WriteLine($"{server}: {step}: {detail}");
            }
        }
    }
}
