using System.Text.Json;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Status;

/// <summary>
/// Gathers <see cref="ServerStatus"/> for each server, all servers at once, over the channel deploy uses
/// (SSH, and the Control Agent through a forwarded port). Reading only: nothing on a server changes.
/// Every step is bounded; a step that fails is recorded as the reason and the others still run.
/// </summary>
public sealed class StatusCollector(Func<DeployTarget, CancellationToken, Task<IRemoteHost>> connect, string wantedVersion)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<ServerStatus>> CollectAsync(IReadOnlyList<DeployTarget> targets, CancellationToken cancellation) =>
        await Task.WhenAll(targets.Select(t => CollectOneAsync(t, cancellation))).ConfigureAwait(false);

    private async Task<ServerStatus> CollectOneAsync(DeployTarget target, CancellationToken cancellation)
    {
        var status = new ServerStatus(target.Name, target.Server.Address?.ToString() ?? string.Empty) { WantedVersion = wantedVersion };
        IRemoteHost host;
        try
        {
            host = await connect(target, cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            return status with { Unreachable = e.Message };
        }

        await using (host.ConfigureAwait(false))
        {
            try
            {
                return await ReadAsync(target, host, status, cancellation).ConfigureAwait(false);
            }
            catch (RemoteStepException e)
            {
                return status with { Unreachable = $"the connection failed while reading ({e.Message})" };
            }
        }
    }

    private static async Task<ServerStatus> ReadAsync(DeployTarget target, IRemoteHost host, ServerStatus status, CancellationToken cancellation)
    {
        var dhcp4 = host.RunAsync(target.Settings.StatusCommand, CommandTimeout, cancellation);
        var agent = host.RunAsync(target.Settings.AgentStatusCommand, CommandTimeout, cancellation);
        var version = RunningKeaVersion.ReadAsync(host, cancellation);
        status = status with
        {
            Dhcp4Active = (await dhcp4.ConfigureAwait(false)).Succeeded,
            AgentActive = (await agent.ConfigureAwait(false)).Succeeded,
            KeaVersion = await version.ConfigureAwait(false),
        };

        var comparisons = await LiveDiff.CompareAsync(host, target, cancellation, refuseOtherVersion: false).ConfigureAwait(false);
        try
        {
            var file = comparisons.FirstOrDefault(c => c.Rendered.Name == TemplateSet.Dhcp4);
            var liveAgent = target.LiveControlAgent(comparisons.FirstOrDefault(c => c.Rendered.Name == TemplateSet.ControlAgent)?.Live);
            return await ReadControlChannelAsync(liveAgent, host, status, file, cancellation).ConfigureAwait(false);
        }
        finally
        {
            foreach (var comparison in comparisons)
            {
                comparison.Dispose();
            }
        }
    }

    /// <param name="agent">where the running agent listens (its live config's settings, which the inventory may have changed since).</param>
    private static async Task<ServerStatus> ReadControlChannelAsync(ControlAgentAccess agent, IRemoteHost host, ServerStatus status, ConfigComparison? file, CancellationToken cancellation)
    {
        var drift = new ConfigDrift
        {
            FileVsInventory = file?.Status.ToString(),
            FileChanges = file?.Changes.Select(c => c.Path).ToList() ?? [],
            DeployedCommit = file?.Live?.Provenance?.SourceCommit,
            EditedByHand = file?.Live?.EditedSinceRender ?? false,
        };

        KeaControlChannel channel;
        try
        {
            channel = await KeaControlChannel.OpenAsync(host, agent, cancellation).ConfigureAwait(false);
        }
        catch (RemoteStepException e)
        {
            return status with { ControlProblem = $"the control channel cannot be opened ({e.Message})", Drift = drift };
        }

        using (channel)
        {
            var statusGet = await channel.CommandAsync("status-get", null, cancellation).ConfigureAwait(false);
            if (statusGet is not { Problem: null, Arguments: { } state })
            {
                return status with { ControlProblem = statusGet.Problem ?? "status-get answered without arguments", Drift = drift };
            }

            status = status with { Ha = KeaAnswers.Ha(state), UptimeSeconds = KeaAnswers.Uptime(state), SecondsSinceReload = KeaAnswers.SecondsSinceReload(state) };

            var configGet = await channel.CommandAsync("config-get", null, cancellation).ConfigureAwait(false);
            var running = configGet.Problem is null ? configGet.Arguments : null;
            if (running is { } config && file?.Live is { } live)
            {
                var changes = RunningConfigDrift.Compare(live.Root, Without(config, "hash"));
                drift = drift with
                {
                    RunningMatchesFile = changes.Count == 0,
                    RunningChanges = changes,
                    RunningHash = config.TryGetProperty("hash", out var hash) && hash.ValueKind == JsonValueKind.String ? hash.GetString() : null,
                };
            }
            else
            {
                drift = drift with { Problem = configGet.Problem ?? (file?.Live is null ? "the live file could not be read, so the running config has nothing to be compared with" : null) };
            }

            var statistics = await channel.CommandAsync("statistic-get-all", null, cancellation).ConfigureAwait(false);
            if (statistics is not { Problem: null, Arguments: { } numbers })
            {
                return status with { ControlProblem = statistics.Problem ?? "statistic-get-all answered without arguments", Drift = drift };
            }

            return status with { Drift = drift, Pools = KeaAnswers.Pools(numbers, running), Load = KeaAnswers.Load(numbers) };
        }
    }

    /// <summary>config-get's arguments are the config plus its hash: the config alone compares with the file.</summary>
    private static JsonElement Without(JsonElement config, string member)
    {
        if (!config.TryGetProperty(member, out _))
        {
            return config;
        }

        var copy = config.EnumerateObject().Where(p => p.Name != member).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return JsonSerializer.SerializeToElement(copy);
    }
}
