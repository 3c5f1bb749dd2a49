using System.Text;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Ssh;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>
/// The one-round-trip "take the lock, then read the live files" of <see cref="SshRemoteHost.RunThenReadAsync"/>:
/// its script run by a real /bin/sh here, its output read back as the SSH host reads it.
/// </summary>
public sealed class RunThenReadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keagitops-frames-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (CommandResult First, IReadOnlyList<Task<byte[]?>> Files) Run(string first, params string[] paths)
    {
        var output = ExternalProgram.Run("/bin/sh", "-c", SshRemoteHost.Frames.Script(first, paths));
        return SshRemoteHost.Frames.Parse(output.Stdout, paths, new CommandResult(output.ExitCode, string.Empty, output.Stderr), "test");
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task Every_file_comes_back_byte_for_byte_whatever_it_holds_and_a_missing_one_as_null()
    {
        // Bytes that look like the framing itself, no final newline, invalid UTF-8, NULs; a name to quote.
        byte[] tricky = [.. "{ \"a\": 1 }\nF 3\nM\nK\n"u8, 0xff, 0x00, 0xfe, (byte)'x'];
        var paths = new[] { Write("kea-dhcp4.conf", tricky), Path.Combine(_folder, "absent.conf"), Write("it's empty.conf", []), Write("kea-ctrl-agent.conf", "{}\n"u8.ToArray()) };

        var (first, files) = Run("true", paths);

        Assert.True(first.Succeeded);
        Assert.Equal(4, files.Count);
        Assert.Equal(tricky, await files[0]);
        Assert.Null(await files[1]);
        Assert.Equal(Array.Empty<byte>(), await files[2]);
        Assert.Equal("{}\n", Encoding.UTF8.GetString((await files[3])!));
    }

    [Fact]
    public void Nothing_is_read_when_the_first_command_fails_and_its_exit_code_and_words_are_kept()
    {
        var lockDirectory = Path.Combine(_folder, "lock");
        Directory.CreateDirectory(lockDirectory);
        var path = Write("kea-dhcp4.conf", "{}"u8.ToArray());

        var (first, files) = Run($"mkdir {ShellQuote.Quote(lockDirectory)}", path);

        Assert.False(first.Succeeded);
        Assert.Contains("File exists", first.Summary(), StringComparison.Ordinal);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_every_file_with_the_servers_words_and_a_missing_one_stays_missing()
    {
        var readable = Write("kea-dhcp4.conf", "{}"u8.ToArray());
        var folder = Path.Combine(_folder, "a-folder");
        Directory.CreateDirectory(folder);
        var after = Write("kea-ctrl-agent.conf", "{}"u8.ToArray());

        var (first, files) = Run("true", readable, folder, Path.Combine(_folder, "absent.conf"), after);

        Assert.True(first.Succeeded);
        var unreadable = await Assert.ThrowsAsync<RemoteStepException>(() => files[1]);
        Assert.Contains("Is a directory", unreadable.Message, StringComparison.Ordinal);
        // cat stopped part-way, so no file's bytes can be told apart.
        await Assert.ThrowsAsync<RemoteStepException>(() => files[0]);
        Assert.Null(await files[2]);
        await Assert.ThrowsAsync<RemoteStepException>(() => files[3]);
    }

    [Fact]
    public async Task A_file_that_changed_size_between_stat_and_cat_is_reported_not_misread()
    {
        // stat said 5 bytes, cat then found 7 (the file grew in between).
        var output = "K\nF\n5\n{\"a\":1}"u8.ToArray();

        var (first, files) = SshRemoteHost.Frames.Parse(output, ["/etc/kea/kea-dhcp4.conf"], new CommandResult(0, string.Empty, string.Empty), "kea-dhcp-1");

        Assert.True(first.Succeeded);
        var changed = await Assert.ThrowsAsync<RemoteStepException>(() => files[0]);
        Assert.Equal("cannot read /etc/kea/kea-dhcp4.conf on kea-dhcp-1: a file changed while it was read; deploy again", changed.Message);
    }
}
