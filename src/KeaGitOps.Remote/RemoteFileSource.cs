using KeaGitOps.Core.Sources;

namespace KeaGitOps.Remote;

/// <summary>A server's files, read over SFTP; paths are the server's own and show as <c>server:path</c> in messages.</summary>
public sealed class RemoteFileSource(IRemoteHost host, CancellationToken cancellation) : IFileSource
{
    public string Display(string path) => $"{host.ServerName}:{path}";

    public byte[]? ReadFile(string path)
    {
        try
        {
            // SSH.NET's SFTP calls are synchronous underneath; this waits for nothing else.
            return host.ReadFileAsync(path, cancellation).GetAwaiter().GetResult();
        }
        catch (RemoteStepException e)
        {
            throw new FileSourceException(e.Message);
        }
    }
}
