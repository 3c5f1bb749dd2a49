using KeaGitOps.Core.Sources;
using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Remote;

/// <summary>
/// A server's whole file tree, read over SSH: the root is the server's <c>/</c>, so a source path is the
/// server's absolute path without its leading slash, and messages show <c>server:/path</c>. The server's own
/// links are the server's business (Kea follows them): they are not checked here.
/// </summary>
public sealed class RemoteFileSource(IRemoteHost host, CancellationToken cancellation) : IFileSource
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    // Find reads a file to learn that it is one; the read that usually follows gets the same bytes.
    private (string Path, byte[] Bytes)? _lastRead;

    public string RootDisplay => $"{host.ServerName}:/";

    public string Display(string path) => $"{host.ServerName}:/{path}";

    public SourceEntry Find(string path)
    {
        var normalized = SourcePath.Normalize(path.TrimStart('/'));
        if (normalized is null)
        {
            return new SourceEntry(path, SourceEntryKind.Missing, path, LinkProblem.Outside);
        }

        var bytes = Read(normalized);
        return new SourceEntry(normalized, bytes is null ? SourceEntryKind.Missing : SourceEntryKind.File, normalized);
    }

    public IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive)
    {
        var normalized = SourcePath.Normalize(folder.TrimStart('/')) ?? string.Empty;
        var depth = recursive ? string.Empty : " -maxdepth 1";
        var listed = Wait(host.RunAsync($"find {ShellQuote.Quote("/" + normalized)}{depth} -type f -print0 2>/dev/null", ListTimeout, cancellation));
        return listed.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(full => full.TrimStart('/'))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceEntry(path, SourceEntryKind.File, path))
            .ToList();
    }

    public byte[] ReadAllBytes(string path)
    {
        var normalized = SourcePath.Normalize(path.TrimStart('/')) ?? throw new IOException($"{path} is not a path on {host.ServerName}");
        return Read(normalized) ?? throw new IOException($"no such file on {host.ServerName}");
    }

    private byte[]? Read(string normalized)
    {
        if (_lastRead is { } last && last.Path == normalized)
        {
            return last.Bytes;
        }

        try
        {
            var bytes = Wait(host.ReadFileAsync("/" + normalized, cancellation));
            if (bytes is not null)
            {
                _lastRead = (normalized, bytes);
            }

            return bytes;
        }
        catch (RemoteStepException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    // SSH.NET completes a command on its own listener thread, so blocking here cannot wait on itself.
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
