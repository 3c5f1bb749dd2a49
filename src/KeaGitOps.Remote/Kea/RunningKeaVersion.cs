namespace KeaGitOps.Remote.Kea;

/// <summary>The Kea version a server runs, as its own <c>kea-dhcp4 -V</c> prints it ("3.0.4").</summary>
public static class RunningKeaVersion
{
    private const string Command = "kea-dhcp4 -V 2>/dev/null | head -n 1";

    /// <summary>The version, or null where kea-dhcp4 cannot be run or prints something else.</summary>
    public static async Task<string?> ReadAsync(IRemoteHost host, CancellationToken cancellation)
    {
        var answer = await host.RunAsync(Command, TimeSpan.FromSeconds(15), cancellation).ConfigureAwait(false);
        return answer.Succeeded && answer.Output.Trim().Split(' ', 2)[0] is { Length: > 0 } first && char.IsAsciiDigit(first[0]) ? first : null;
    }
}
