using System.Diagnostics;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Remote.Kea;
using KeaGitOps.Remote.Status;

namespace KeaGitOps.Remote.Drill;

/// <param name="DryRun">Check and say what would happen; change nothing.</param>
/// <param name="Owner">Who takes the deploy lock (as deploy writes it).</param>
/// <param name="PartnerDownTimeout">How long the partner may take to declare partner-down (its max-response-delay plus room).</param>
/// <param name="HealthyTimeout">How long the pair may take to be healthy again after the restart.</param>
public sealed record DrillOptions(bool DryRun, string Owner, TimeSpan PartnerDownTimeout, TimeSpan HealthyTimeout);

/// <summary>One phase of the drill with how long it took.</summary>
public sealed record DrillPhase(string Name, TimeSpan Duration, string Detail);

/// <summary>How the drill ended: passed, or failed (why), and whether the stopped server was brought back.</summary>
public sealed record DrillReport(bool Passed, IReadOnlyList<DrillPhase> Phases, string Message);

/// <summary>
/// The seed's "Phase 3" as a guarded procedure: with both servers healthy and the deploy lock taken on
/// both, stop one server's kea-dhcp4, wait (bounded) until its partner declares partner-down and still
/// answers, restart it, and wait until both are back in a shared healthy state. From the stop on, any
/// failure or interruption restarts the stopped server before the drill reports; the locks are always
/// released.
/// </summary>
public sealed class FailoverDrill(Func<DeployTarget, CancellationToken, Task<IRemoteHost>> connect, IDeployProgress progress)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<DrillReport> RunAsync(DeployTarget victim, DeployTarget partner, DrillOptions options, CancellationToken cancellation)
    {
        var phases = new List<DrillPhase>();
        var clock = Stopwatch.StartNew();
        void Done(string name, string detail)
        {
            phases.Add(new DrillPhase(name, clock.Elapsed, detail));
            progress.Step(name == "restore" ? victim.Name : "drill", $"{name} ({clock.Elapsed.TotalSeconds:0.0} s)", detail);
            clock.Restart();
        }

        await using var victimHost = await ConnectAsync(victim, cancellation).ConfigureAwait(false);
        await using var partnerHost = await ConnectAsync(partner, cancellation).ConfigureAwait(false);
        if (victimHost.Host is null || partnerHost.Host is null)
        {
            return new DrillReport(false, phases, $"refused: {victimHost.Problem ?? partnerHost.Problem}");
        }

        // Refuse unless both serve together now: stopping one of an unhealthy pair may leave no one answering.
        foreach (var (target, host) in new[] { (victim, victimHost.Host), (partner, partnerHost.Host) })
        {
            var ha = await HaAsync(host, target, CancellationToken.None).ConfigureAwait(false);
            if (ha.Problem is not null || !KeaControlChannel.HealthyHaStates.Contains(ha.Status!.State) || ha.Status.CommunicationInterrupted == true)
            {
                return new DrillReport(false, phases, $"refused: {target.Name} is not healthy ({ha.Problem ?? $"HA state {ha.Status!.State}{(ha.Status.CommunicationInterrupted == true ? ", communication interrupted" : string.Empty)}"}); the drill runs only on a healthy pair");
            }
        }

        Done("preflight", $"{victim.Name} and {partner.Name} healthy");
        if (options.DryRun)
        {
            foreach (var host in new[] { victimHost.Host, partnerHost.Host })
            {
                if (await DeployLock.HolderAsync(host).ConfigureAwait(false) is { } holder)
                {
                    return new DrillReport(false, phases, $"refused: a deploy holds the lock on {host.ServerName} ({holder})");
                }
            }

            return new DrillReport(true, phases, $"dry run: would take the deploy lock on both, stop kea-dhcp4 on {victim.Name} ({victim.Settings.StopCommand}), wait up to {options.PartnerDownTimeout.TotalSeconds:0} s for {partner.Name} to report partner-down, restart {victim.Name} ({victim.Settings.RestartCommand}) and wait up to {options.HealthyTimeout.TotalSeconds:0} s for both to be healthy again");
        }

        var locked = new List<IRemoteHost>();
        try
        {
            foreach (var host in new[] { victimHost.Host, partnerHost.Host })
            {
                if (await DeployLock.TryTakeAsync(host, options.Owner + " (drill failover)").ConfigureAwait(false) is { } holder)
                {
                    return new DrillReport(false, phases, $"refused: a deploy holds the lock on {host.ServerName} ({holder}); wait for it, or if it died, remove {DeployLock.Directory} there");
                }

                locked.Add(host);
            }

            Done("lock", $"{DeployLock.Directory} on both");
            return await DrillAsync(victim, victimHost.Host, partner, partnerHost.Host, options, phases, Done, clock, cancellation).ConfigureAwait(false);
        }
        finally
        {
            foreach (var host in locked)
            {
                if (!await DeployLock.ReleaseAsync(host).ConfigureAwait(false))
                {
                    progress.Step(host.ServerName, "unlock", $"the deploy lock could not be released: remove {DeployLock.Directory} on {host.ServerName}");
                }
            }
        }
    }

    private static async Task<DrillReport> DrillAsync(DeployTarget victim, IRemoteHost victimHost, DeployTarget partner, IRemoteHost partnerHost, DrillOptions options, List<DrillPhase> phases, Action<string, string> done, Stopwatch clock, CancellationToken cancellation)
    {
        string? failure;
        try
        {
            var stop = await victimHost.RunAsync(victim.Settings.StopCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            failure = stop.Succeeded ? null : $"the stop command failed ({stop.Summary()})";
            if (failure is null)
            {
                done("stop", $"{victim.Name}: {victim.Settings.StopCommand}");
                failure = await WaitAsync(partnerHost, partner, options.PartnerDownTimeout, s => s.State == "partner-down", "partner-down", cancellation).ConfigureAwait(false);
            }

            if (failure is null)
            {
                done("failover", $"{partner.Name} reports partner-down and answers: it serves every client");
                var restart = await victimHost.RunAsync(victim.Settings.RestartCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
                failure = restart.Succeeded ? null : $"the restart command failed ({restart.Summary()})";
                if (failure is null)
                {
                    done("restart", $"{victim.Name}: {victim.Settings.RestartCommand}");
                    failure = await BothHealthyAsync(victim, victimHost, partner, partnerHost, options.HealthyTimeout, cancellation).ConfigureAwait(false);
                    if (failure is null)
                    {
                        done("recover", "both back in a healthy HA state");
                        return new DrillReport(true, phases, $"passed: {partner.Name} took over within {phases.First(p => p.Name == "failover").Duration.TotalSeconds:0.0} s and the pair recovered within {phases.First(p => p.Name == "recover").Duration.TotalSeconds:0.0} s of the restart");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            failure = "interrupted (Ctrl-C or a stop signal)";
        }
        catch (RemoteStepException e)
        {
            failure = e.Message;
        }

        // Whatever went wrong, the stopped server runs again before the drill reports.
        done("failed", failure);
        var restored = await RestoreAsync(victim, victimHost, partner, partnerHost, options.HealthyTimeout).ConfigureAwait(false);
        done("restore", restored ?? $"{victim.Name} restarted and the pair is healthy");
        return new DrillReport(false, phases, restored is null
            ? $"failed: {failure}; {victim.Name} was restarted and both are healthy again"
            : $"failed: {failure}; restoring {victim.Name} did not bring the pair back ({restored}): look at {victim.Name} now");
    }

    private static async Task<string?> RestoreAsync(DeployTarget victim, IRemoteHost victimHost, DeployTarget partner, IRemoteHost partnerHost, TimeSpan timeout)
    {
        try
        {
            var restart = await victimHost.RunAsync(victim.Settings.RestartCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            return restart.Succeeded
                ? await BothHealthyAsync(victim, victimHost, partner, partnerHost, timeout, CancellationToken.None).ConfigureAwait(false)
                : $"the restart command failed ({restart.Summary()})";
        }
        catch (RemoteStepException e)
        {
            return e.Message;
        }
    }

    private static async Task<string?> BothHealthyAsync(DeployTarget victim, IRemoteHost victimHost, DeployTarget partner, IRemoteHost partnerHost, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            cancellation.ThrowIfCancellationRequested();
            var running = await victimHost.RunAsync(victim.Settings.StatusCommand, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            var one = await HaAsync(victimHost, victim, cancellation).ConfigureAwait(false);
            var two = await HaAsync(partnerHost, partner, cancellation).ConfigureAwait(false);
            if (running.Succeeded && Healthy(one.Status) && Healthy(two.Status))
            {
                return null;
            }

            last = !running.Succeeded ? $"{victim.Name}'s kea-dhcp4 is not running" : $"{victim.Name} {one.Status?.State ?? one.Problem}, {partner.Name} {two.Status?.State ?? two.Problem}";
            await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
        }

        return $"not healthy within {timeout.TotalSeconds:0} s: {last}";
    }

    private static bool Healthy(HaStatus? status) =>
        status is not null && KeaControlChannel.HealthyHaStates.Contains(status.State) && status.CommunicationInterrupted != true;

    private static async Task<string?> WaitAsync(IRemoteHost host, DeployTarget target, TimeSpan timeout, Func<HaStatus, bool> reached, string what, CancellationToken cancellation)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            cancellation.ThrowIfCancellationRequested();
            var (status, problem) = await HaAsync(host, target, cancellation).ConfigureAwait(false);
            if (status is not null && reached(status))
            {
                return null;
            }

            last = problem ?? $"HA state {status!.State}{(status.CommunicationInterrupted == true ? $", communication interrupted, {status.UnackedClients ?? 0} unacked clients" : string.Empty)}";
            await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
        }

        return $"{target.Name} did not report {what} within {timeout.TotalSeconds:0} s (last: {last}); with high-availability.max-unacked-clients above 0, Kea also waits for that many clients to go unanswered, which needs DHCP traffic";
    }

    private static async Task<(HaStatus? Status, string? Problem)> HaAsync(IRemoteHost host, DeployTarget target, CancellationToken cancellation)
    {
        try
        {
            // The drill restarts no agent: it listens where its live config says.
            using var channel = await KeaControlChannel.OpenAsync(host, await target.ReadLiveControlAgentAsync(host, cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
            var answer = await channel.CommandAsync("status-get", null, cancellation).ConfigureAwait(false);
            return answer is { Problem: null, Arguments: { } arguments }
                ? KeaAnswers.Ha(arguments) is { } ha ? (ha, null) : (null, "no HA relationship (the HA hook is not loaded)")
                : (null, answer.Problem);
        }
        catch (RemoteStepException e)
        {
            return (null, e.Message);
        }
    }

    private async Task<Connection> ConnectAsync(DeployTarget target, CancellationToken cancellation)
    {
        try
        {
            return new Connection(await connect(target, cancellation).ConfigureAwait(false), null);
        }
        catch (RemoteStepException e)
        {
            return new Connection(null, $"{target.Name} is unreachable ({e.Message})");
        }
    }

    /// <summary>A connection or why there is none; disposing it closes the connection.</summary>
    private sealed record Connection(IRemoteHost? Host, string? Problem) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
