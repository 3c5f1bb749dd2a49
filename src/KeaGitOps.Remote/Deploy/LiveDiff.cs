using KeaGitOps.Core.Kea;

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
    public static async Task<IReadOnlyList<ConfigComparison>> CompareAsync(IRemoteHost host, DeployTarget target, CancellationToken cancellation)
    {
        var server = new RemoteFileSource(host, cancellation);
        var comparisons = new List<ConfigComparison>();
        foreach (var file in target.Rendered.Files)
        {
            var path = target.LivePath(file.Name);
            var bytes = await host.ReadFileAsync(path, cancellation).ConfigureAwait(false);
            comparisons.Add(ConfigComparison.Of(file, path, bytes, server, target.KeaVersion));
        }

        return comparisons;
    }
}
