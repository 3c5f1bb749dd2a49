namespace KeaGitOps.Core.Sources;

/// <summary>
/// Where Core reads files from: the local disk, a git revision, or a server over SSH. Core does no file
/// I/O of its own; everything it reads (inventory, templates, Kea configs and their includes) comes
/// through one of these, so one code path serves a working tree, a pull request's base and a live server.
/// </summary>
public interface IFileSource
{
    /// <summary>How <paramref name="path"/> reads in messages (<c>kea-dhcp-2:/etc/kea/kea-dhcp4.conf</c>, <c>inventory/site.yaml</c>).</summary>
    string Display(string path);

    /// <summary>The file's bytes, or null when there is no such file. Throws <see cref="FileSourceException"/> when it exists but cannot be read.</summary>
    byte[]? ReadFile(string path);
}

/// <summary>A file that exists but cannot be read (permissions, a broken connection), with a message for a person.</summary>
public sealed class FileSourceException(string message) : Exception(message);
