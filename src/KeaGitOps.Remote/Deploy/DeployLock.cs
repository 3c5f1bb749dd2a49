using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// The per-server lock that keeps two keagitops runs that change a server (deploy, drill failover) from
/// overlapping: a directory on the server, made atomically by mkdir, holding who took it.
/// </summary>
public static class DeployLock
{
    public const string Directory = "/run/lock/keagitops";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Takes the lock for <paramref name="owner"/>; null when taken, else who holds it.</summary>
    public static async Task<string?> TryTakeAsync(IRemoteHost host, string owner)
    {
        var locked = await host.RunAsync(TakeCommand(owner), CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        return locked.Succeeded ? null : await HolderAsync(host).ConfigureAwait(false) ?? "an unknown holder";
    }

    /// <summary>
    /// Takes the lock for <paramref name="owner"/> and, once it is taken, reads <paramref name="paths"/>, in one
    /// round trip (<see cref="IRemoteHost.RunThenReadAsync"/>). Null Holder: taken, with each file's read;
    /// else who holds it, and nothing was read.
    /// </summary>
    public static async Task<(string? Holder, IReadOnlyList<Task<byte[]?>> Files)> TakeAndReadAsync(IRemoteHost host, string owner, IReadOnlyList<string> paths)
    {
        var (locked, files) = await host.RunThenReadAsync(TakeCommand(owner), paths, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        return locked.Succeeded ? (null, files) : (await HolderAsync(host).ConfigureAwait(false) ?? "an unknown holder", []);
    }

    private static string TakeCommand(string owner) => $"mkdir {Directory} 2>/dev/null && printf '%s\\n' {ShellQuote.Quote(owner)} > {Directory}/owner";

    /// <summary>Who holds the lock, or null when it is free.</summary>
    public static async Task<string?> HolderAsync(IRemoteHost host)
    {
        var held = await host.RunAsync($"test -d {Directory} && (cat {Directory}/owner 2>/dev/null || true)", CommandTimeout, CancellationToken.None).ConfigureAwait(false);
        return held.Succeeded ? held.Output.Trim() : null;
    }

    /// <summary>Releases the lock; false when that was impossible (the connection dropped), so the caller says how to release it by hand.</summary>
    public static async Task<bool> ReleaseAsync(IRemoteHost host)
    {
        try
        {
            return (await host.RunAsync($"rm -rf {Directory}", CommandTimeout, CancellationToken.None).ConfigureAwait(false)).Succeeded;
        }
        catch (RemoteStepException)
        {
            return false;
        }
    }
}
