using System.Diagnostics;
using System.Globalization;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;
using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Remote.Deploy;

public sealed record DeployOptions(bool DryRun, bool Force, string Owner);

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

    /// <summary>Deploys <paramref name="targets"/>; <paramref name="partners"/> are the other servers whose health gates a restart.</summary>
    public async Task<IReadOnlyList<ServerReport>> DeployAsync(IReadOnlyList<DeployTarget> targets, IReadOnlyList<DeployTarget> partners, DeployOptions options, CancellationToken cancellation)
    {
        var reports = new List<ServerReport>();
        var hosts = new Dictionary<string, IRemoteHost>(StringComparer.Ordinal);
        try
        {
            var ordered = DeployTarget.InSafeOrder(targets);
            foreach (var target in ordered)
            {
                if (reports.Any(r => r.Outcome is ServerOutcome.Refused or ServerOutcome.RolledBack or ServerOutcome.RollbackFailed) || cancellation.IsCancellationRequested)
                {
                    reports.Add(new ServerReport(target.Name, ServerOutcome.NotAttempted, "-", cancellation.IsCancellationRequested ? "interrupted before this server" : "an earlier server failed", TimeSpan.Zero, []));
                    continue;
                }

                reports.Add(await DeployOneAsync(target, partners.Where(p => p.Name != target.Name).ToList(), hosts, options, cancellation).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }

        return reports;
    }

    private async Task<IRemoteHost> HostAsync(DeployTarget target, Dictionary<string, IRemoteHost> hosts, CancellationToken cancellation)
    {
        if (!hosts.TryGetValue(target.Name, out var host))
        {
            host = await connect(target, cancellation).ConfigureAwait(false);
            hosts.Add(target.Name, host);
        }

        return host;
    }

    private async Task<ServerReport> DeployOneAsync(DeployTarget target, IReadOnlyList<DeployTarget> partners, Dictionary<string, IRemoteHost> hosts, DeployOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var step = "connect";
        ServerReport Report(ServerOutcome outcome, string message, IReadOnlyList<string>? changed = null) =>
            new(target.Name, outcome, step, message, clock.Elapsed, changed ?? []);

        IRemoteHost host;
        try
        {
            progress.Step(target.Name, step, $"{target.Server.Address}");
            host = await HostAsync(target, hosts, cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            return Report(ServerOutcome.Refused, e.Message);
        }

        step = "lock";
        progress.Step(target.Name, step, LockDirectory);
        if (await DeployLock.TryTakeAsync(host, options.Owner).ConfigureAwait(false) is { } owner)
        {
            return Report(ServerOutcome.Refused, $"another deploy holds the lock ({owner}); wait for it, or if it died, remove {LockDirectory} on {target.Name}");
        }

        ServerReport result;
        try
        {
            result = await UnderLockAsync(target, host, partners, hosts, options, s => step = s, Report, cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            result = Report(ServerOutcome.Refused, e.Message);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Only steps before the replacement listen to Ctrl-C, so the live config is the one it had.
            result = Report(ServerOutcome.Refused, "interrupted (Ctrl-C or a stop signal) before the live config was replaced; it is unchanged");
        }

        return await UnlockAsync(host, result).ConfigureAwait(false);
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

    /// <summary>Steps 3 to 10 of the safety contract for one server, under its lock; each step is a method below.</summary>
    private async Task<ServerReport> UnderLockAsync(
        DeployTarget target,
        IRemoteHost host,
        IReadOnlyList<DeployTarget> partners,
        Dictionary<string, IRemoteHost> hosts,
        DeployOptions options,
        Action<string> enter,
        Func<ServerOutcome, string, IReadOnlyList<string>?, ServerReport> report,
        CancellationToken cancellation)
    {
        enter("read live");
        var plan = await PlanAsync(target, host, cancellation).ConfigureAwait(false);
        if (plan.Changed.Count == 0)
        {
            return report(ServerOutcome.Unchanged, "live configs equal the rendered ones; nothing to do", null);
        }

        if (options.DryRun)
        {
            return report(ServerOutcome.WouldChange, $"would apply {string.Join(", ", plan.ChangedNames)}", plan.ChangedNames);
        }

        enter("host facts");
        progress.Step(target.Name, "host facts", "addresses, interfaces, ports");
        await HostFacts.CheckAsync(host, target, cancellation).ConfigureAwait(false);

        enter("partner health");
        var (partnerDown, partnerRefusal) = await CheckPartnersAsync(target, partners, hosts, options, cancellation).ConfigureAwait(false);
        if (partnerRefusal is not null)
        {
            return report(ServerOutcome.Refused, partnerRefusal, plan.ChangedNames);
        }

        enter("upload and test");
        if (await UploadAndTestAsync(target, host, plan, cancellation).ConfigureAwait(false) is { } testRefusal)
        {
            return report(ServerOutcome.Refused, testRefusal, plan.ChangedNames);
        }

        // The last moment to stop for free: after the replacement the server is finished or rolled back,
        // whatever arrives (Ctrl-C, SIGTERM).
        if (cancellation.IsCancellationRequested)
        {
            await RemoveUploadsAsync(target, host, plan).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
        }

        enter("backup and replace");
        var backups = await BackUpAndReplaceAsync(target, host, plan).ConfigureAwait(false);

        enter("restart and verify");
        // Forced past a partner that is down, this server cannot reach a shared HA state: it must run and
        // answer (it will serve alone, in partner-down), and that is all that can be verified.
        var failure = await RestartAndVerifyAsync(target, host, plan.ChangedNames, requireHealthyHa: !partnerDown).ConfigureAwait(false);
        if (failure is null)
        {
            return report(ServerOutcome.Applied, $"applied {string.Join(", ", plan.ChangedNames)}", plan.ChangedNames);
        }

        enter("rollback");
        progress.Step(target.Name, "rollback", failure);
        var rollbackFailure = await RollBackAsync(target, host, backups, plan.ChangedNames, requireHealthyHa: !partnerDown).ConfigureAwait(false);
        return rollbackFailure is null
            ? report(ServerOutcome.RolledBack, $"{failure}; the previous config was restored and verified", plan.ChangedNames)
            : report(ServerOutcome.RollbackFailed, $"{failure}; the previous config was restored but did not come back healthy either ({rollbackFailure}): look at {target.Name} now", plan.ChangedNames);
    }

    /// <summary>What a server needs: the rendered files that differ from its live ones, and which live files exist.</summary>
    private sealed record DeployPlan(IReadOnlyList<RenderedFile> Changed, IReadOnlySet<string> LiveExists)
    {
        public IReadOnlyList<string> ChangedNames { get; } = Changed.Select(f => f.Name).ToList();
    }

    /// <summary>Step 3: reads each live file as Kea would (includes followed on the server) and keeps those that differ.</summary>
    private async Task<DeployPlan> PlanAsync(DeployTarget target, IRemoteHost host, CancellationToken cancellation)
    {
        progress.Step(target.Name, "read live", target.Settings.ConfigDirectory);
        var comparisons = await LiveDiff.CompareAsync(host, target, cancellation).ConfigureAwait(false);
        try
        {
            return new DeployPlan(
                comparisons.Where(c => c.Status != LiveStatus.Unchanged).Select(c => c.Rendered).ToList(),
                comparisons.Where(c => c.Status != LiveStatus.Missing).Select(c => c.Rendered.Name).ToHashSet(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var comparison in comparisons)
            {
                comparison.Dispose();
            }
        }
    }

    /// <summary>Step 5: whether a partner is down, and the refusal when that forbids a restart (unless --force).</summary>
    private async Task<(bool PartnerDown, string? Refusal)> CheckPartnersAsync(DeployTarget target, IReadOnlyList<DeployTarget> partners, Dictionary<string, IRemoteHost> hosts, DeployOptions options, CancellationToken cancellation)
    {
        var partnerDown = false;
        foreach (var partner in partners)
        {
            progress.Step(target.Name, "partner health", partner.Name);
            var problem = await PartnerProblemAsync(partner, hosts, cancellation).ConfigureAwait(false);
            partnerDown |= problem is not null;
            if (problem is not null && !options.Force)
            {
                return (true, $"partner {partner.Name} is not healthy ({problem}); restarting {target.Name} now would leave no DHCP server answering. Fix the partner first, or pass --force to restart anyway (DHCP service would go down).");
            }
        }

        return (partnerDown, null);
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
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var backups = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in plan.Changed)
        {
            var live = target.LivePath(file.Name);
            string? backup = null;
            if (plan.LiveExists.Contains(file.Name))
            {
                backup = live + BackupInfix + stamp;
                progress.Step(target.Name, "backup and replace", backup);
                await RequireAsync(host, $"cp -p {ShellQuote.Quote(live)} {ShellQuote.Quote(backup)}", "back up the live config").ConfigureAwait(false);
                await PruneBackupsAsync(host, live, target.Settings.Backups).ConfigureAwait(false);
            }

            backups[file.Name] = backup;
            await RequireAsync(host, $"mv -f {ShellQuote.Quote(live + NewSuffix)} {ShellQuote.Quote(live)}", "move the tested config into place").ConfigureAwait(false);
        }

        return backups;
    }

    /// <summary>Step 10: restores the backups, restarts and verifies; null when the server came back healthy.</summary>
    private async Task<string?> RollBackAsync(DeployTarget target, IRemoteHost host, Dictionary<string, string?> backups, IReadOnlyList<string> changedNames, bool requireHealthyHa)
    {
        foreach (var (name, backup) in backups)
        {
            if (backup is not null)
            {
                var live = target.LivePath(name);
                await RequireAsync(host, $"cp -p {ShellQuote.Quote(backup)} {ShellQuote.Quote(live + NewSuffix)} && mv -f {ShellQuote.Quote(live + NewSuffix)} {ShellQuote.Quote(live)}", "restore the backup").ConfigureAwait(false);
            }
        }

        return await RestartAndVerifyAsync(target, host, changedNames, requireHealthyHa).ConfigureAwait(false);
    }

    private static string TestCommand(DeployTarget target, string file) =>
        file == TemplateSet.ControlAgent ? "kea-ctrl-agent -t" : target.Settings.ConfigTestCommand;

    /// <summary>Restarts what changed and waits (bounded) until the service runs, answers, and HA is healthy. Null on success.</summary>
    private async Task<string?> RestartAndVerifyAsync(DeployTarget target, IRemoteHost host, IReadOnlyList<string> changed, bool requireHealthyHa)
    {
        if (changed.Contains(TemplateSet.ControlAgent))
        {
            progress.Step(target.Name, "restart", target.Settings.AgentRestartCommand);
            var agent = await host.RunAsync(target.Settings.AgentRestartCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
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

        progress.Step(target.Name, "verify", requireHealthyHa
            ? $"service, control channel, HA within {target.Settings.HaTimeout.TotalSeconds:0} s"
            : $"service and control channel within {target.Settings.HaTimeout.TotalSeconds:0} s (partner down: HA cannot be healthy)");
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        using var channel = await OpenChannelAsync(host, target).ConfigureAwait(false);
        while (deadline.Elapsed < target.Settings.HaTimeout)
        {
            // systemctl restart returns 0 for a daemon that dies a moment later: ask again every round.
            var status = await host.RunAsync(target.Settings.StatusCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!status.Succeeded)
            {
                last = $"the service is not running ({status.Summary()})";
            }
            else if (channel is null)
            {
                last = "the control channel cannot be opened";
            }
            else
            {
                var (state, problem) = await channel.HaStateAsync(CancellationToken.None).ConfigureAwait(false);
                if (state is not null && (!requireHealthyHa || KeaControlChannel.HealthyHaStates.Contains(state)))
                {
                    return null;
                }

                last = problem ?? $"HA state is {state}";
            }

            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }

        return $"not healthy within {target.Settings.HaTimeout.TotalSeconds:0} s: {last}";
    }

    private async Task<string?> PartnerProblemAsync(DeployTarget partner, Dictionary<string, IRemoteHost> hosts, CancellationToken cancellation)
    {
        try
        {
            var host = await HostAsync(partner, hosts, cancellation).ConfigureAwait(false);
            using var channel = await OpenChannelAsync(host, partner).ConfigureAwait(false);
            if (channel is null)
            {
                return "its control channel cannot be opened";
            }

            var (state, problem) = await channel.HaStateAsync(cancellation).ConfigureAwait(false);
            return state is not null && KeaControlChannel.HealthyHaStates.Contains(state) ? null : problem ?? $"its HA state is {state}";
        }
        catch (RemoteStepException e)
        {
            return e.Message;
        }
    }

    private static async Task<KeaControlChannel?> OpenChannelAsync(IRemoteHost host, DeployTarget target)
    {
        try
        {
            return await KeaControlChannel.OpenAsync(host, target.ControlAgent, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RemoteStepException)
        {
            return null;
        }
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
