using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// A server's live files against their renders: what <c>diff</c> prints and what <c>deploy</c> plans from.
/// Each live file is read as Kea reads it, its includes followed through the server's own files.
/// </summary>
public static class LiveDiff
{
    /// <summary>
    /// Every rendered file of <paramref name="target"/> against the server's. The caller disposes the comparisons.
    /// A failed transfer of a file itself is a <see cref="RemoteStepException"/> (nothing is known); an include
    /// that cannot be read makes its file unreadable, as it would be to Kea.
    /// </summary>
    /// <param name="refuseOtherVersion">whether a server running another Kea version than the inventory renders for is an error (diff, deploy) rather than a finding (status).</param>
    /// <param name="version">that check (<see cref="RequireKeaVersionAsync"/>) when the caller started it already.</param>
    /// <param name="started">the reads of <see cref="LivePaths"/>, when the caller started them already (deploy, with its lock).</param>
    public static async Task<IReadOnlyList<ConfigComparison>> CompareAsync(IRemoteHost host, DeployTarget target, CancellationToken cancellation, bool refuseOtherVersion = true, Task? version = null, IReadOnlyList<Task<byte[]?>>? started = null)
    {
        // The version check (a command) and the file reads (transfers) run side by side: each is a round
        // trip to the server, and a no-op deploy is little else.
        version ??= refuseOtherVersion ? RequireKeaVersionAsync(host, target, cancellation) : Task.CompletedTask;
        var reads = started ?? LivePaths(target).Select(path => host.ReadFileAsync(path, cancellation)).ToList();
        try
        {
            await version.ConfigureAwait(false);
        }
        finally
        {
            // Never leave a transfer running unobserved, whatever the version check found.
            await Task.WhenAll(reads.Select(r => r.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        }

        var server = new RemoteFileSource(host, cancellation);
        var comparisons = new List<ConfigComparison>();
        foreach (var (file, read) in target.Rendered.Files.Zip(reads))
        {
            comparisons.Add(ConfigComparison.Of(file, target.LivePath(file.Name), await read.ConfigureAwait(false), server, target.KeaVersion));
        }

        return comparisons;
    }

    /// <summary>The live path of each rendered file, in the order of <see cref="RenderedServer.Files"/>.</summary>
    public static IReadOnlyList<string> LivePaths(DeployTarget target) => target.Rendered.Files.Select(file => target.LivePath(file.Name)).ToList();

    /// <summary>
    /// A config rendered for one Kea version is not offered to another (2.6.3 refuses 3.0's pool classes,
    /// 2.2 the bare hook names): the server's own <c>kea-dhcp4 -V</c> decides. A server where it cannot be
    /// run says nothing, and the config test on the server remains the judge.
    /// </summary>
    public static async Task RequireKeaVersionAsync(IRemoteHost host, DeployTarget target, CancellationToken cancellation)
    {
        if (await RunningKeaVersion.ReadAsync(host, cancellation).ConfigureAwait(false) is { } running && !KeaVersions.IsReleaseOf(running, target.KeaVersion))
        {
            throw new RemoteStepException(
                $"{target.Name} runs Kea {running}, but the inventory renders for kea.version \"{target.KeaVersion.Name()}\": set kea.version to the version the servers run (or upgrade {target.Name}) and render again");
        }
    }
}
