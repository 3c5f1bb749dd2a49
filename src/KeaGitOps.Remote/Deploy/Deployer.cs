using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KeaGitOps.Core;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;
using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Remote.Deploy;

public sealed record DeployOptions(bool DryRun, bool Force, string Owner)
{
    /// <summary>--allow-leased: deploy a reservation for an address another client holds (see <see cref="LeasePreflight"/>).</summary>
    public bool AllowLeased { get; init; }
}

/// <summary>
/// Applies rendered configs server by server, in a safe order, stopping at the first failure. Every
/// step before the rename leaves the live config untouched; every failure after it restores the
/// backup, restarts and verifies. See DESIGN.md, "Diff and deploy (safety contract)".
/// </summary>
public sealed class Deployer(Func<DeployTarget, CancellationToken, Task<IRemoteHost>> connect, IDeployProgress progress)
{
    public const string LockDirectory = DeployLock.Directory;
    private const string NewSuffix = ".keagitops-new";
    private const string BackupInfix = ".keagitops-backup-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where each server's running Control Agent listens (and how to log in): what its live
    /// kea-ctrl-agent.conf said when read, until its agent is restarted with the file now on disk.
    /// </summary>
    private readonly ConcurrentDictionary<string, ControlAgentAccess> _agentNow = new(StringComparer.Ordinal);

    /// <summary>Each changed server's agent settings as its live config said before this deploy (what a rollback restores).</summary>
    private readonly ConcurrentDictionary<string, ControlAgentAccess> _agentLive = new(StringComparer.Ordinal);

    /// <summary>What each server's kea-ctrl-agent.conf on disk says, once this deploy has replaced or restored it: the agent's settings after its next restart.</summary>
    private readonly ConcurrentDictionary<string, ControlAgentAccess> _agentOnDisk = new(StringComparer.Ordinal);

    /// <summary>Deploys <paramref name="targets"/>; <paramref name="partners"/> are the other servers whose health gates a restart.</summary>
    public async Task<IReadOnlyList<ServerReport>> DeployAsync(IReadOnlyList<DeployTarget> targets, IReadOnlyList<DeployTarget> partners, DeployOptions options, CancellationToken cancellation)
    {
        var reports = new List<ServerReport>();
        var hosts = new Dictionary<string, IRemoteHost>(StringComparer.Ordinal);
        var ordered = DeployTarget.InSafeOrder(targets);
        var runs = ordered.Select(t => new ServerRun(t)).ToList();
        try
        {
            // Connecting, locking and reading change nothing on a server, so every server does them at
            // once (a no-op deploy is then as slow as its slowest server, not their sum); each server's
            // turn to change anything below stays one at a time, in the safe order.
            // On the thread pool: a connection's first steps (the key, the handshake's crypto) run before its first await.
            await Task.WhenAll(runs.Select(run => Task.Run(() => PrepareAsync(run, hosts, options, cancellation), CancellationToken.None))).ConfigureAwait(false);

            // The lease preflight judges the reservations every plan adds or moves, read under the locks,
            // before anything is uploaded anywhere; a refusal releases every lock still held.
            var reserved = runs.SelectMany(r => r.Reserved).ToList();
            if (reserved.Count > 0 && await LeasePreflight.GateAsync(reserved, targets, partners, t => HostAsync(t, hosts, cancellation), options, progress, cancellation).ConfigureAwait(false) is { } refused)
            {
                foreach (var run in runs.Where(r => r.Result is null))
                {
                    run.Result = await UnlockAsync(run.Host!, run.Report(ServerOutcome.Refused, "refused by the lease preflight")).ConfigureAwait(false);
                }

                return refused;
            }

            // An upload, Kea's test and a backup change nothing live, so a runtime change has them done
            // here, every server at once; what changes a running server waits for that server's turn.
            await Task.WhenAll(runs.Where(r => r.Result is null && r.Plan!.Runtime is not null).Select(run => Task.Run(() => StageRuntimeAsync(run, cancellation), CancellationToken.None))).ConfigureAwait(false);
            foreach (var run in runs)
            {
                if (run.Result is { } done)
                {
                    reports.Add(done);
                    continue;
                }

                run.Result = reports.Any(r => r.Outcome is ServerOutcome.Refused or ServerOutcome.RolledBack or ServerOutcome.RollbackFailed) || cancellation.IsCancellationRequested
                    ? await NotAttemptedAsync(run, cancellation.IsCancellationRequested ? "interrupted before this server" : "an earlier server failed").ConfigureAwait(false)
                    : await TurnAsync(run, partners.Where(p => p.Name != run.Target.Name).ToList(), hosts, options, cancellation).ConfigureAwait(false);
                reports.Add(run.Result);
            }
        }
        finally
        {
            // A server still locked here was prepared but never had its turn (an unexpected failure of another): release it.
            foreach (var run in runs.Where(r => r.Result is null && r.Host is not null && r.Plan is not null))
            {
                await NotAttemptedAsync(run, "an earlier server failed").ConfigureAwait(false);
            }

            // Closing a connection waits for the server's side of the disconnect: every server at once.
            using (PhaseTimer.Measure("close connections"))
            {
                await Task.WhenAll(hosts.Values.Select(host => Task.Run(async () => await host.DisposeAsync().ConfigureAwait(false), CancellationToken.None))).ConfigureAwait(false);
            }
        }

        return reports;
    }

    private async Task<IRemoteHost> HostAsync(DeployTarget target, Dictionary<string, IRemoteHost> hosts, CancellationToken cancellation)
    {
        lock (hosts)
        {
            if (hosts.TryGetValue(target.Name, out var known))
            {
                return known;
            }
        }

        // Only one task ever connects a given server (its own preparation, or later a partner check), so no second connection races this one.
        var host = await connect(target, cancellation).ConfigureAwait(false);
        lock (hosts)
        {
            hosts.Add(target.Name, host);
        }

        return host;
    }

    /// <summary>One server through a deploy: its connection, lock and plan, the step it is at, its own working time.</summary>
    private sealed class ServerRun(DeployTarget target)
    {
        public DeployTarget Target { get; } = target;

        public Stopwatch Clock { get; } = new();

        public string Step { get; set; } = "connect";

        public IRemoteHost? Host { get; set; }

        public DeployPlan? Plan { get; set; }

        /// <summary>The reservations its plan adds or moves (what the lease preflight asks about), once read.</summary>
        public IReadOnlyList<ReservedAddress> Reserved { get; set; } = [];

        /// <summary>The server's report when it is done after preparing (refused, unchanged, dry run; its lock released); null when its turn must change it.</summary>
        public ServerReport? Result { get; set; }

        public ServerReport Report(ServerOutcome outcome, string message, IReadOnlyList<string>? changed = null) =>
            new(Target.Name, outcome, Step, message, Clock.Elapsed, changed ?? []);
    }

    /// <summary>Steps 1 to 3 of the safety contract for one server: connect, lock, read live and plan. Sets <see cref="ServerRun.Result"/> unless the server has changes to apply.</summary>
    private async Task PrepareAsync(ServerRun run, Dictionary<string, IRemoteHost> hosts, DeployOptions options, CancellationToken cancellation)
    {
        var target = run.Target;
        run.Clock.Start();
        try
        {
            try
            {
                progress.Step(target.Name, run.Step, $"{target.Server.Address}");
                using (PhaseTimer.Measure($"connect {target.Name}"))
                {
                    run.Host = await HostAsync(target, hosts, cancellation).ConfigureAwait(false);
                }
            }
            catch (RemoteStepException e)
            {
                run.Result = run.Report(ServerOutcome.Refused, e.Message);
                return;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                run.Result = run.Report(ServerOutcome.Refused, "interrupted (Ctrl-C or a stop signal) before the live config was replaced; it is unchanged");
                return;
            }

            // Which Kea runs reads no file, so it is asked while the lock is taken; the live files are read
            // in the lock's own round trip, once it is taken.
            var version = LiveDiff.RequireKeaVersionAsync(run.Host, target, cancellation);
            run.Step = "lock";
            progress.Step(target.Name, run.Step, LockDirectory);
            IReadOnlyList<Task<byte[]?>> read;
            try
            {
                using var timer = PhaseTimer.Measure($"lock and read {target.Name}");
                (var owner, read) = await DeployLock.TakeAndReadAsync(run.Host, options.Owner, LiveDiff.LivePaths(target)).ConfigureAwait(false);
                if (owner is not null)
                {
                    run.Result = run.Report(ServerOutcome.Refused, $"another deploy holds the lock ({owner}); wait for it, or if it died, remove {LockDirectory} on {target.Name}");
                    await Observe(version).ConfigureAwait(false);
                    return;
                }
            }
            catch (RemoteStepException e)
            {
                run.Result = run.Report(ServerOutcome.Refused, e.Message);
                await Observe(version).ConfigureAwait(false);
                return;
            }

            ServerReport result;
            try
            {
                run.Step = "read live";
                DeployPlan plan;
                using (PhaseTimer.Measure($"plan {target.Name}"))
                {
                    plan = await PlanAsync(target, run.Host, version, read, cancellation).ConfigureAwait(false);
                }

                run.Reserved = plan.Reserved;
                if (plan.Changed.Count > 0 && !options.DryRun)
                {
                    run.Plan = plan;
                    return;
                }

                result = plan.Changed.Count == 0
                    ? run.Report(ServerOutcome.Unchanged, "live configs equal the rendered ones; nothing to do")
                    : run.Report(ServerOutcome.WouldChange, $"would apply {string.Join(", ", plan.ChangedNames)} {plan.How}", plan.ChangedNames);
            }
            catch (RemoteStepException e)
            {
                result = run.Report(ServerOutcome.Refused, e.Message);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                result = run.Report(ServerOutcome.Refused, "interrupted (Ctrl-C or a stop signal) before the live config was replaced; it is unchanged");
            }

            using (PhaseTimer.Measure($"unlock {target.Name}"))
            {
                run.Result = await UnlockAsync(run.Host, result).ConfigureAwait(false);
            }
        }
        finally
        {
            run.Clock.Stop();
        }
    }

    /// <summary>A runtime change's upload, Kea's test and the backup, under the lock its preparation took; a refusal releases the lock.</summary>
    private async Task StageRuntimeAsync(ServerRun run, CancellationToken cancellation)
    {
        var (target, host, plan) = (run.Target, run.Host!, run.Plan!);
        run.Clock.Start();
        try
        {
            run.Step = "upload and test";
            using var timer = PhaseTimer.Measure($"upload and test {target.Name}");
            if (await UploadTestOrStopAsync(target, host, plan, cancellation).ConfigureAwait(false) is { } refusal)
            {
                run.Result = await UnlockAsync(host, run.Report(ServerOutcome.Refused, refusal, plan.ChangedNames)).ConfigureAwait(false);
                return;
            }

            // So is a backup: the turn is then a runtime apply and a rename.
            await BackUpAsync(target, host, plan).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            run.Result = await UnlockAsync(host, run.Report(ServerOutcome.Refused, e.Message, plan.ChangedNames)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            run.Result = await UnlockAsync(host, run.Report(ServerOutcome.Refused, "interrupted (Ctrl-C or a stop signal) before the live config was replaced; it is unchanged", plan.ChangedNames)).ConfigureAwait(false);
        }
        finally
        {
            run.Clock.Stop();
        }
    }

    /// <summary>Waits for a task whose outcome no longer matters, so it neither runs on unobserved nor fails unseen.</summary>
    private static async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteStepException or OperationCanceledException)
        {
            // The server was refused already; this finding adds nothing.
        }
    }

    /// <summary>A prepared server whose turn does not come: the files uploaded for it removed, its lock released.</summary>
    private static async Task<ServerReport> NotAttemptedAsync(ServerRun run, string why)
    {
        if (run.Plan!.Runtime is not null)
        {
            try
            {
                await RemoveUploadsAsync(run.Target, run.Host!, run.Plan).ConfigureAwait(false);
            }
            catch (RemoteStepException)
            {
                // The connection dropped: the unlock below says so; a stale upload is only a file beside the live one.
            }
        }

        return await UnlockAsync(run.Host!, new ServerReport(run.Target.Name, ServerOutcome.NotAttempted, "-", why, TimeSpan.Zero, run.Plan.ChangedNames)).ConfigureAwait(false);
    }

    /// <summary>Steps 4 to 10 for a server with changes, under the lock its preparation took; releases the lock.</summary>
    private async Task<ServerReport> TurnAsync(ServerRun run, IReadOnlyList<DeployTarget> partners, Dictionary<string, IRemoteHost> hosts, DeployOptions options, CancellationToken cancellation)
    {
        run.Clock.Start();
        ServerReport result;
        try
        {
            result = await UnderLockAsync(run.Target, run.Host!, run.Plan!, partners, hosts, options, s => run.Step = s, run.Report, cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            result = run.Report(ServerOutcome.Refused, e.Message);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Only steps before the replacement listen to Ctrl-C, so the live config is the one it had.
            result = run.Report(ServerOutcome.Refused, "interrupted (Ctrl-C or a stop signal) before the live config was replaced; it is unchanged");
        }

        result = await UnlockAsync(run.Host!, result).ConfigureAwait(false);
        run.Clock.Stop();
        return result with { Duration = run.Clock.Elapsed };
    }

    /// <summary>Releases the lock; when that is impossible (the connection dropped) the report says how to release it by hand.</summary>
    private static async Task<ServerReport> UnlockAsync(IRemoteHost host, ServerReport result)
    {
        if (await DeployLock.ReleaseAsync(host).ConfigureAwait(false))
        {
            return result;
        }

        return result with { Message = $"{result.Message}. The deploy lock could not be released: remove {LockDirectory} on {host.ServerName} once no deploy runs." };
    }

    /// <summary>Steps 4 to 10 of the safety contract for one server with changes (<paramref name="plan"/>), under its lock; each step is a method below.</summary>
    private async Task<ServerReport> UnderLockAsync(
        DeployTarget target,
        IRemoteHost host,
        DeployPlan plan,
        IReadOnlyList<DeployTarget> partners,
        Dictionary<string, IRemoteHost> hosts,
        DeployOptions options,
        Action<string> enter,
        Func<ServerOutcome, string, IReadOnlyList<string>?, ServerReport> report,
        CancellationToken cancellation)
    {
        string? fallback = null;
        if (plan.Runtime is { } runtime)
        {
            // No restart and no reload, so neither the host's facts nor the partner's health can change what
            // the server serves: the file is tested as always (while preparing, beside the other servers), the
            // change applied in memory.

            enter("runtime apply");
            fallback = await ApplyAtRuntimeAsync(target, host, runtime).ConfigureAwait(false);
            if (fallback is null)
            {
                enter("replace");
                // The file says what memory now holds, so a later restart starts from the same state (backed up while preparing).
                await ReplaceAsync(target, host, plan).ConfigureAwait(false);
                return report(ServerOutcome.Applied, $"applied {string.Join(", ", plan.ChangedNames)} at runtime, no restart: {runtime.Summary} ({runtime.By}, read back)", plan.ChangedNames);
            }

            // A reload reads every subnet and reservation from the file again, whatever the steps left behind.
            progress.Step(target.Name, "runtime apply", $"{fallback}; {(plan.ReconfigureObstacle is null ? "reloading" : "restarting")} with the new file instead");
            try
            {
                return await RestartPathAsync(target, host, partners, hosts, options, enter, report, plan, $"runtime apply not possible ({fallback}): ", cancellation).ConfigureAwait(false);
            }
            finally
            {
                // A refusal or an interruption before the replacement leaves the tested upload behind otherwise.
                await RemoveUploadsAsync(target, host, plan).ConfigureAwait(false);
            }
        }

        return await RestartPathAsync(target, host, partners, hosts, options, enter, report, plan, plan.ReconfigureObstacle is null ? string.Empty : $"restarted ({plan.ReconfigureObstacle}): ", cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="runtime"/> through the running server's command hooks and reads it back.
    /// Null on success; else why not, with the server's memory restored to its live file's settings (each
    /// step already applied undone, newest first) as far as the server lets it.
    /// </summary>
    private async Task<string?> ApplyAtRuntimeAsync(DeployTarget target, IRemoteHost host, RuntimeChanges runtime)
    {
        using var channel = await OpenChannelAsync(host, target).ConfigureAwait(false);
        if (channel is null)
        {
            return "the control channel cannot be opened";
        }

        var commands = await channel.CommandAsync("list-commands", null, CancellationToken.None).ConfigureAwait(false);
        if (commands.Result != KeaAnswer.Success || commands.Arguments is not { ValueKind: System.Text.Json.JsonValueKind.Array } names)
        {
            return $"list-commands failed ({commands.Text})";
        }

        var available = names.EnumerateArray().Select(n => n.GetString()).ToHashSet(StringComparer.Ordinal);
        if (runtime.Needs.FirstOrDefault(n => !n.Commands.All(available.Contains)) is { Library: { } missing })
        {
            return $"the running server has not loaded {missing}";
        }

        var applied = new List<IRuntimeStep>();
        foreach (var step in runtime.Steps)
        {
            progress.Step(target.Name, "runtime apply", step.ToString()!);
            var answer = await channel.CommandAsync(step.Command, step.Arguments, CancellationToken.None).ConfigureAwait(false);
            if (answer.Result != KeaAnswer.Success)
            {
                return $"{step.Command} ({step}) failed: {answer.Text}{await UndoAsync(channel, applied).ConfigureAwait(false)}";
            }

            applied.Add(step);
        }

        progress.Step(target.Name, "runtime apply", "subnet4-get and reservation-get of each subnet and reservation changed");
        if (await runtime.VerifyAsync(channel, CancellationToken.None).ConfigureAwait(false) is { } mismatch)
        {
            return mismatch + await UndoAsync(channel, applied).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Undoes <paramref name="applied"/>, newest first; the text to append to the failure (empty when all undone).</summary>
    private static async Task<string> UndoAsync(KeaControlChannel channel, List<IRuntimeStep> applied)
    {
        var failed = new List<string>();
        foreach (var step in Enumerable.Reverse(applied).SelectMany(s => s.Undo()))
        {
            var answer = await channel.CommandAsync(step.Command, step.Arguments, CancellationToken.None).ConfigureAwait(false);
            if (answer.Result != KeaAnswer.Success)
            {
                failed.Add($"{step}: {answer.Text}");
            }
        }

        return failed.Count == 0
            ? applied.Count == 0 ? string.Empty : $"; its {applied.Count} applied step(s) were undone"
            : $"; undoing failed for {string.Join("; ", failed)} (the restart reloads every setting from the file)";
    }

    /// <summary>Steps 4 to 10 of the safety contract: the path of every change that needs a restart.</summary>
    private async Task<ServerReport> RestartPathAsync(
        DeployTarget target,
        IRemoteHost host,
        IReadOnlyList<DeployTarget> partners,
        Dictionary<string, IRemoteHost> hosts,
        DeployOptions options,
        Action<string> enter,
        Func<ServerOutcome, string, IReadOnlyList<string>?, ServerReport> report,
        DeployPlan plan,
        string why,
        CancellationToken cancellation)
    {
        enter("host facts");
        progress.Step(target.Name, "host facts", "addresses, interfaces, ports");
        await HostFacts.CheckAsync(host, target, cancellation).ConfigureAwait(false);

        enter("partner health");
        var (partnerDown, partnerRefusal) = await CheckPartnersAsync(target, host, partners, hosts, options, cancellation).ConfigureAwait(false);
        if (partnerRefusal is not null)
        {
            return report(ServerOutcome.Refused, partnerRefusal, plan.ChangedNames);
        }

        enter("upload and test");
        if (await UploadTestOrStopAsync(target, host, plan, cancellation).ConfigureAwait(false) is { } testRefusal)
        {
            return report(ServerOutcome.Refused, testRefusal, plan.ChangedNames);
        }

        enter("backup and replace");
        var backups = await BackUpAndReplaceAsync(target, host, plan).ConfigureAwait(false);

        // A server that runs re-reads a DHCPv4-only change (see Reconfiguration); one that does not is started.
        var reload = false;
        if (plan.ReconfigureObstacle is null)
        {
            var (own, ownProblem) = await ServerStateAsync(target, host, CancellationToken.None).ConfigureAwait(false);
            reload = own is not null;
            why = reload ? why : $"restarted (kea-dhcp4 does not answer: {ownProblem}): ";
        }

        enter(reload ? "reconfigure and verify" : "restart and verify");
        // A healthy partner takes this server's clients over for the restart and gives them back after.
        using var partnerChannel = partnerDown || partners.Count != 1 ? null : await PartnerChannelAsync(partners[0], hosts).ConfigureAwait(false);
        HandOver? handOver = null;
        var handOverNote = string.Empty;
        if (partnerChannel is not null)
        {
            progress.Step(target.Name, "hand over", $"{partners[0].Name} takes every client (ha-scopes)");
            (handOver, var notHandedOver) = await HandOver.StartAsync(partnerChannel, partners[0].Name, target.Name, cancellation: CancellationToken.None).ConfigureAwait(false);
            handOverNote = handOver is null ? $" ({(reload ? "reloaded" : "restarted")} without a hand-over: {notHandedOver})" : $" (clients {(handOver.PartnerState == "partner-down" ? "served by" : "handed over to")} {partners[0].Name} and back)";
        }

        // The hand-over watches the partner until the hand-back; it stops on every way out, before the partner's channel closes.
        using var watching = handOver;

        // Forced past a partner that is down, this server cannot reach a shared HA state: it must run and
        // answer (it will serve alone, in partner-down), and that is all that can be verified.
        var (failure, how) = reload
            ? await ReloadAndVerifyAsync(target, host, plan, requireHealthyHa: !partnerDown, handOver).ConfigureAwait(false)
            : (await RestartAndVerifyAsync(target, host, plan.ChangedNames, requireHealthyHa: !partnerDown, handOver).ConfigureAwait(false), string.Empty);
        if (failure is null)
        {
            return report(ServerOutcome.Applied, $"{why}applied {string.Join(", ", plan.ChangedNames)}{how}{handOverNote}", plan.ChangedNames);
        }

        enter("rollback");
        progress.Step(target.Name, "rollback", failure);
        var rollbackFailure = await RollBackAsync(target, host, backups, plan.ChangedNames, requireHealthyHa: !partnerDown, handOver).ConfigureAwait(false);
        if (handOver is not null)
        {
            await handOver.AbortAsync().ConfigureAwait(false);
        }

        return rollbackFailure is null
            ? report(ServerOutcome.RolledBack, $"{why}{failure}; the previous config was restored and verified", plan.ChangedNames)
            : report(ServerOutcome.RollbackFailed, $"{failure}; the previous config was restored but did not come back healthy either ({rollbackFailure}): look at {target.Name} now", plan.ChangedNames);
    }

    /// <summary>What a server needs: the rendered files that differ from its live ones, and which live files exist.</summary>
    /// <param name="Runtime">the command-hook steps when the change is subnets and reservations only and the server takes them at runtime (<see cref="RuntimeChanges"/>).</param>
    /// <param name="RuntimeObstacle">why it is not applied at runtime (null: it is, or deploy.runtime-changes is off).</param>
    /// <param name="ReconfigureObstacle">why the change cannot be applied by a reload of the running server (null: it can; see <see cref="Reconfiguration"/>).</param>
    /// <param name="Reserved">the reservations it adds or moves (<see cref="LeasePreflight.NewOrMoved"/>).</param>
    private sealed record DeployPlan(IReadOnlyList<RenderedFile> Changed, IReadOnlySet<string> LiveExists, RuntimeChanges? Runtime, string? RuntimeObstacle, string? ReconfigureObstacle, IReadOnlyList<ReservedAddress> Reserved)
    {
        public IReadOnlyList<string> ChangedNames { get; } = Changed.Select(f => f.Name).ToList();

        public string How => Runtime is not null ? $"at runtime ({Runtime.Summary})" : ReconfigureObstacle is null ? $"with a reload (config-reload, no restart{NotAtRuntime})" : "with a restart";

        /// <summary>", not at runtime: why" when deploy.runtime-changes is on but cannot take this change; else empty.</summary>
        public string NotAtRuntime => RuntimeObstacle is null ? string.Empty : $"; not at runtime: {RuntimeObstacle}";
    }

    /// <summary>Step 3: reads each live file as Kea would (includes followed on the server) and keeps those that differ.</summary>
    /// <param name="version">the check of the Kea version the server runs, already under way.</param>
    /// <param name="read">the reads of its live files (<see cref="LiveDiff.LivePaths"/>), done with the lock.</param>
    private async Task<DeployPlan> PlanAsync(DeployTarget target, IRemoteHost host, Task version, IReadOnlyList<Task<byte[]?>> read, CancellationToken cancellation)
    {
        progress.Step(target.Name, "read live", target.Settings.ConfigDirectory);
        var comparisons = await LiveDiff.CompareAsync(host, target, cancellation, version: version, started: read).ConfigureAwait(false);
        try
        {
            var agent = target.LiveControlAgent(comparisons.SingleOrDefault(c => c.Rendered.Name == TemplateSet.ControlAgent)?.Live);
            _agentLive[target.Name] = agent;
            _agentNow[target.Name] = agent;
            var (runtime, notAtRuntime) = target.Settings.RuntimeChanges ? RuntimeChanges.Plan(comparisons) : (null, null);
            return new DeployPlan(
                comparisons.Where(c => c.Status != LiveStatus.Unchanged).Select(c => c.Rendered).ToList(),
                comparisons.Where(c => c.Status != LiveStatus.Missing).Select(c => c.Rendered.Name).ToHashSet(StringComparer.Ordinal),
                runtime,
                notAtRuntime,
                Reconfiguration.Obstacle(comparisons),
                LeasePreflight.NewOrMoved(comparisons));
        }
        finally
        {
            foreach (var comparison in comparisons)
            {
                comparison.Dispose();
            }
        }
    }

    /// <summary>
    /// Step 5: whether restarting this server can reduce DHCP service. It can only when this server answers
    /// clients and no partner does: then it is the only one serving, and it is restarted only when forced
    /// (--force, which names one server). A server that is down or not serving is repaired without force
    /// while its partner answers clients (partner-down, partner-in-maintenance or a healthy state). Returns
    /// whether no partner is up in HA (then this server cannot reach a healthy HA state), and the refusal.
    /// </summary>
    private async Task<(bool PartnerDown, string? Refusal)> CheckPartnersAsync(DeployTarget target, IRemoteHost host, IReadOnlyList<DeployTarget> partners, Dictionary<string, IRemoteHost> hosts, DeployOptions options, CancellationToken cancellation)
    {
        var problems = new List<string>();
        var partnerUp = false;
        foreach (var partner in partners)
        {
            progress.Step(target.Name, "partner health", partner.Name);
            var (state, problem) = await PartnerStateAsync(partner, hosts, cancellation).ConfigureAwait(false);
            if (state is not null && KeaControlChannel.HealthyHaStates.Contains(state))
            {
                return (false, null);
            }

            if (state is not null && KeaControlChannel.ServingAllHaStates.Contains(state))
            {
                // The partner serves every client while this server is out: restarting this one cannot reduce service.
                progress.Step(target.Name, "partner health", $"{partner.Name} answers every client ({state}); {target.Name} may be restarted to repair the pair");
                return (false, null);
            }

            problems.Add($"partner {partner.Name} {problem ?? $"is in HA state {state}"}");
            partnerUp |= state is not null;
        }

        var (own, ownProblem) = await ServerStateAsync(target, host, cancellation).ConfigureAwait(false);
        var serving = own is not null && KeaControlChannel.AnsweringHaStates.Contains(own);
        var partnersSay = problems.Count == 0 ? "it has no partner" : string.Join("; ", problems);
        if (!serving)
        {
            progress.Step(target.Name, "partner health", $"{target.Name} is not serving ({ownProblem ?? own}) and no partner serves its clients ({partnersSay}): restarting it cannot reduce service");
            return (!partnerUp, null);
        }

        if (options.Force)
        {
            progress.Step(target.Name, "partner health", $"forced: {target.Name} is the only server answering DHCP clients ({own}); they get no answer while it restarts");
            return (true, null);
        }

        return (true, $"{target.Name} is the only server answering DHCP clients (its HA state is {own}; {partnersSay}); restarting it would leave no DHCP server answering until it is back. Repair the partner first (deploy it alone with --server), or pass --force --server {target.Name} to restart {target.Name} anyway (every DHCP client goes unanswered while it restarts).");
    }


    /// <summary>
    /// Uploads and tests the new files (the refusal when the test fails), then takes the last moment to stop
    /// for free: after the replacement the server is finished or rolled back, whatever arrives (Ctrl-C, SIGTERM).
    /// </summary>
    private async Task<string?> UploadTestOrStopAsync(DeployTarget target, IRemoteHost host, DeployPlan plan, CancellationToken cancellation)
    {
        if (await UploadAndTestAsync(target, host, plan, cancellation).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        if (cancellation.IsCancellationRequested)
        {
            await RemoveUploadsAsync(target, host, plan).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
        }

        return null;
    }
    /// <summary>Step 6: uploads each changed file beside its live one and runs Kea's config test on it; the refusal (Kea's own words) or null.</summary>
    private async Task<string?> UploadAndTestAsync(DeployTarget target, IRemoteHost host, DeployPlan plan, CancellationToken cancellation)
    {
        foreach (var file in plan.Changed)
        {
            var live = target.LivePath(file.Name);
            var temp = live + NewSuffix;
            progress.Step(target.Name, "upload and test", temp);
            await host.WriteFileAsync(temp, file.Utf8, cancellation).ConfigureAwait(false);
            // Keep the live file's owner, group and mode: Kea runs as _kea and must still read it.
            var keep = plan.LiveExists.Contains(file.Name)
                ? $"chown --reference={ShellQuote.Quote(live)} {ShellQuote.Quote(temp)} && chmod --reference={ShellQuote.Quote(live)} {ShellQuote.Quote(temp)}"
                : $"chmod 0640 {ShellQuote.Quote(temp)}";
            await RequireAsync(host, keep, "keep the live file's owner and mode").ConfigureAwait(false);
            var test = await host.RunAsync($"{TestCommand(target, file.Name)} {ShellQuote.Quote(temp)}", CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!test.Succeeded)
            {
                await host.RunAsync($"rm -f {ShellQuote.Quote(temp)}", CommandTimeout, CancellationToken.None).ConfigureAwait(false);
                return $"Kea's config test rejected the new {file.Name}; the live config is untouched. Kea said: {test.Summary()}";
            }
        }

        return null;
    }

    private static async Task RemoveUploadsAsync(DeployTarget target, IRemoteHost host, DeployPlan plan)
    {
        foreach (var file in plan.Changed)
        {
            await host.RunAsync($"rm -f {ShellQuote.Quote(target.LivePath(file.Name) + NewSuffix)}", CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Step 7: backs up each live file (keeping the newest N) and moves the tested one into place; the backups by file name (null: there was no live file).</summary>
    private async Task<Dictionary<string, string?>> BackUpAndReplaceAsync(DeployTarget target, IRemoteHost host, DeployPlan plan)
    {
        var backups = await BackUpAsync(target, host, plan).ConfigureAwait(false);
        await ReplaceAsync(target, host, plan).ConfigureAwait(false);
        return backups;
    }

    /// <summary>Copies each live file that is to be replaced beside it (keeping the newest N): a copy changes nothing the server runs.</summary>
    private async Task<Dictionary<string, string?>> BackUpAsync(DeployTarget target, IRemoteHost host, DeployPlan plan)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var backups = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in plan.Changed)
        {
            var live = target.LivePath(file.Name);
            string? backup = null;
            if (plan.LiveExists.Contains(file.Name))
            {
                backup = live + BackupInfix + stamp;
                progress.Step(target.Name, "backup", backup);
                await RequireAsync(host, $"cp -p {ShellQuote.Quote(live)} {ShellQuote.Quote(backup)}", "back up the live config").ConfigureAwait(false);
                await PruneBackupsAsync(host, live, target.Settings.Backups).ConfigureAwait(false);
            }

            backups[file.Name] = backup;
        }

        return backups;
    }

    /// <summary>Moves each tested file into place.</summary>
    private async Task ReplaceAsync(DeployTarget target, IRemoteHost host, DeployPlan plan)
    {
        foreach (var file in plan.Changed)
        {
            var live = target.LivePath(file.Name);
            progress.Step(target.Name, "replace", live);
            await RequireAsync(host, $"mv -f {ShellQuote.Quote(live + NewSuffix)} {ShellQuote.Quote(live)}", "move the tested config into place").ConfigureAwait(false);
            if (file.Name == TemplateSet.ControlAgent)
            {
                _agentOnDisk[target.Name] = target.ControlAgent;
            }
        }
    }

    /// <summary>Step 10: restores the backups, restarts and verifies; null when the server came back healthy.</summary>
    private async Task<string?> RollBackAsync(DeployTarget target, IRemoteHost host, Dictionary<string, string?> backups, IReadOnlyList<string> changedNames, bool requireHealthyHa, HandOver? handOver)
    {
        foreach (var (name, backup) in backups)
        {
            if (backup is not null)
            {
                var live = target.LivePath(name);
                await RequireAsync(host, $"cp -p {ShellQuote.Quote(backup)} {ShellQuote.Quote(live + NewSuffix)} && mv -f {ShellQuote.Quote(live + NewSuffix)} {ShellQuote.Quote(live)}", "restore the backup").ConfigureAwait(false);
                if (name == TemplateSet.ControlAgent && _agentLive.TryGetValue(target.Name, out var before))
                {
                    _agentOnDisk[target.Name] = before;
                }
            }
        }

        return await RestartAndVerifyAsync(target, host, changedNames, requireHealthyHa, handOver).ConfigureAwait(false);
    }

    private static string TestCommand(DeployTarget target, string file) =>
        file == TemplateSet.ControlAgent ? "kea-ctrl-agent -t" : target.Settings.ConfigTestCommand;

    /// <summary>Restarts what changed and waits (bounded) until the service runs, answers, and HA is healthy. Null on success.</summary>
    private async Task<string?> RestartAndVerifyAsync(DeployTarget target, IRemoteHost host, IReadOnlyList<string> changed, bool requireHealthyHa, HandOver? handOver)
    {
        if (changed.Contains(TemplateSet.ControlAgent))
        {
            progress.Step(target.Name, "restart", target.Settings.AgentRestartCommand);
            var agent = await host.RunAsync(target.Settings.AgentRestartCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            if (_agentOnDisk.TryGetValue(target.Name, out var restarted))
            {
                // Whatever the restart command says, an agent that runs now runs from the file on disk.
                _agentNow[target.Name] = restarted;
            }

            if (!agent.Succeeded)
            {
                return $"the Control Agent restart failed ({agent.Summary()})";
            }
        }

        progress.Step(target.Name, "restart", target.Settings.RestartCommand);
        var restart = await host.RunAsync(target.Settings.RestartCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        if (!restart.Succeeded)
        {
            return $"the restart command failed ({restart.Summary()})";
        }

        return await VerifyAsync(target, host, requireHealthyHa, handOver).ConfigureAwait(false);
    }

    /// <summary>
    /// Reloads the running server's config from the file now in place and reads it back (see
    /// <see cref="Reconfiguration"/>), then waits (bounded) as after a restart. A reload Kea refuses is
    /// followed by a restart with the same file: the server may have lost its sockets or hooks half-way.
    /// The failure (null on success) and the words the report adds.
    /// </summary>
    private async Task<(string? Failure, string How)> ReloadAndVerifyAsync(DeployTarget target, IRemoteHost host, DeployPlan plan, bool requireHealthyHa, HandOver? handOver)
    {
        progress.Step(target.Name, "reconfigure", "config-reload: the running kea-dhcp4 reads the new file, no restart");
        string? notReloaded;
        using (var channel = await OpenChannelAsync(host, target).ConfigureAwait(false))
        {
            notReloaded = channel is null ? "the control channel cannot be opened" : await Reconfiguration.ReloadAsync(channel, CancellationToken.None).ConfigureAwait(false);
            if (notReloaded is null)
            {
                progress.Step(target.Name, "reconfigure", "config-get: the running config against the rendered one");
                if (await Reconfiguration.RunningDiffersAsync(channel!, plan.Changed.Single(f => f.Name == TemplateSet.Dhcp4), CancellationToken.None).ConfigureAwait(false) is { } differs)
                {
                    return (differs, string.Empty);
                }
            }
        }

        if (notReloaded is not null)
        {
            progress.Step(target.Name, "reconfigure", $"{notReloaded}; restarting with the new file instead");
            return (await RestartAndVerifyAsync(target, host, plan.ChangedNames, requireHealthyHa, handOver).ConfigureAwait(false), $" with a restart ({notReloaded})");
        }

        return (await VerifyAsync(target, host, requireHealthyHa, handOver).ConfigureAwait(false), $" without a restart (config-reload, running config read back{plan.NotAtRuntime})");
    }

    /// <summary>Waits (bounded) until the service runs, answers, and HA is healthy (with the hand-back done). Null on success.</summary>
    private async Task<string?> VerifyAsync(DeployTarget target, IRemoteHost host, bool requireHealthyHa, HandOver? handOver)
    {
        progress.Step(target.Name, "verify", requireHealthyHa
            ? $"service, control channel, HA within {target.Settings.HaTimeout.TotalSeconds:0} s"
            : $"service and control channel within {target.Settings.HaTimeout.TotalSeconds:0} s (partner down: HA cannot be healthy)");
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        using var channel = await OpenChannelAsync(host, target).ConfigureAwait(false);
        while (deadline.Elapsed < target.Settings.HaTimeout)
        {
            if (channel is null)
            {
                last = "the control channel cannot be opened";
            }
            else
            {
                var (state, problem) = await channel.HaStateAsync(CancellationToken.None).ConfigureAwait(false);
                // Asked every round, even before this server is healthy: the partner must keep every scope the moment it is back to normal.
                var bothHealthy = handOver is null || await handOver.StepAsync(state).ConfigureAwait(false);
                if (state is not null && (!requireHealthyHa || KeaControlChannel.HealthyHaStates.Contains(state)) && bothHealthy)
                {
                    // systemctl restart returns 0 for a daemon that dies a moment later: the service must still run now.
                    var status = await host.RunAsync(target.Settings.StatusCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
                    if (status.Succeeded)
                    {
                        return null;
                    }

                    last = $"the service is not running ({status.Summary()})";
                }
                else
                {
                    last = problem ?? (bothHealthy ? $"HA state is {state}" : $"HA state is {state}, partner {handOver!.PartnerName}'s is {handOver.PartnerState}");
                }
            }

            await Task.Delay(handOver is null ? PollInterval : HandOver.PollInterval, CancellationToken.None).ConfigureAwait(false);
        }

        return $"not healthy within {target.Settings.HaTimeout.TotalSeconds:0} s: {last}";
    }

    /// <summary>A partner's HA state, or why it has none (its connection, agent or daemon down).</summary>
    private async Task<(string? State, string? Problem)> PartnerStateAsync(DeployTarget partner, Dictionary<string, IRemoteHost> hosts, CancellationToken cancellation)
    {
        try
        {
            return await ServerStateAsync(partner, await HostAsync(partner, hosts, cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            return (null, e.Message);
        }
    }

    private async Task<(string? State, string? Problem)> ServerStateAsync(DeployTarget server, IRemoteHost host, CancellationToken cancellation)
    {
        using var channel = await OpenChannelAsync(host, server).ConfigureAwait(false);
        if (channel is null)
        {
            return (null, "its control channel cannot be opened");
        }

        var (state, problem) = await channel.HaStateAsync(cancellation).ConfigureAwait(false);
        return (state, problem);
    }

    private async Task<KeaControlChannel?> PartnerChannelAsync(DeployTarget partner, Dictionary<string, IRemoteHost> hosts)
    {
        try
        {
            return await OpenChannelAsync(await HostAsync(partner, hosts, CancellationToken.None).ConfigureAwait(false), partner).ConfigureAwait(false);
        }
        catch (RemoteStepException)
        {
            return null;
        }
    }

    /// <summary>The server's control channel, through its agent where it listens now (see <see cref="AgentAsync"/>); null when it cannot be opened.</summary>
    private async Task<KeaControlChannel?> OpenChannelAsync(IRemoteHost host, DeployTarget target)
    {
        try
        {
            return await KeaControlChannel.OpenAsync(host, await AgentAsync(host, target).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RemoteStepException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where the server's running agent listens: its live kea-ctrl-agent.conf's settings (read with the
    /// plan, or here for a partner this deploy does not change) until this deploy restarts that agent
    /// with another file. The inventory's settings are only where the agent will listen after that.
    /// </summary>
    private async Task<ControlAgentAccess> AgentAsync(IRemoteHost host, DeployTarget target)
    {
        if (_agentNow.TryGetValue(target.Name, out var known))
        {
            return known;
        }

        return _agentNow.GetOrAdd(target.Name, await target.ReadLiveControlAgentAsync(host, CancellationToken.None).ConfigureAwait(false));
    }

    private static async Task PruneBackupsAsync(IRemoteHost host, string live, int keep)
    {
        // Backup names sort by time; keep the newest N. Names are ours, so one per line is safe.
        await host.RunAsync($"ls -1d {ShellQuote.Quote(live)}{BackupInfix}* 2>/dev/null | sort -r | tail -n +{keep + 1} | xargs -r -d '\\n' rm -f --", CommandTimeout, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task RequireAsync(IRemoteHost host, string command, string what)
    {
        var result = await host.RunAsync(command, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new RemoteStepException($"could not {what}: {result.Summary()}");
        }
    }
}
