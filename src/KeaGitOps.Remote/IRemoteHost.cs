namespace KeaGitOps.Remote;

/// <summary>What a remote command returned. Output is kept for messages; it never holds secrets we sent.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The most useful line to quote in a message: the last non-empty line of stderr, else of stdout.</summary>
    public string Summary()
    {
        var text = Error.Trim().Length > 0 ? Error : Output;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? $"exit code {ExitCode}" : lines[^1];
    }
}

/// <summary>
/// One server, reached over SSH. Commands are complete shell command lines: callers quote every
/// word they did not write themselves (<see cref="Ssh.ShellQuote"/>).
/// </summary>
public interface IRemoteHost : IAsyncDisposable
{
    /// <summary>The inventory's name for the server, for messages.</summary>
    string ServerName { get; }

    Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation);

    Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation);

    /// <summary>
    /// Runs <paramref name="first"/> (its output discarded) and, only when it succeeds, reads
    /// <paramref name="paths"/>: one round trip where the transport allows. First's result decides
    /// everything else: when it failed, no file is read (an empty list); else one read per path (its bytes,
    /// null when missing, or the failure to read it), so a caller always knows whether first ran.
    /// </summary>
    async Task<(CommandResult First, IReadOnlyList<Task<byte[]?>> Files)> RunThenReadAsync(string first, IReadOnlyList<string> paths, TimeSpan timeout, CancellationToken cancellation)
    {
        var result = await RunAsync(first, timeout, cancellation).ConfigureAwait(false);
        return (result, result.Succeeded ? paths.Select(p => ReadFileAsync(p, cancellation)).ToList() : []);
    }

    /// <summary>Forwards a local loopback port to HOST:PORT as seen from the server (the Kea Control Agent).</summary>
    Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation);
}
