using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KeaGitOps.Tests.Lab;

/// <summary>One DHCP exchange as perfdhcp counts it: requests sent, answers received, and the difference (unanswered).</summary>
public sealed record DhcpExchangeCounts(long Sent, long Received, long Drops)
{
    public override string ToString() => $"{Drops} of {Sent} unanswered";
}

/// <summary>What the probe saw while an action ran.</summary>
public sealed record DhcpProbeResult(DhcpExchangeCounts Discover, DhcpExchangeCounts Request, TimeSpan Duration, string Output)
{
    public long Unanswered => Discover.Drops + Request.Drops;

    public override string ToString() =>
        $"DHCP probe over {Duration.TotalSeconds:0.0} s: DISCOVER-OFFER {Discover}, REQUEST-ACK {Request}";
}

/// <summary>
/// Real DHCP clients while a deploy runs: perfdhcp (Kea 2.2's, from the host) in the lab's client
/// namespace kgo-c, sending DORA exchanges at a fixed rate to the lab's servers until stopped. The
/// counts come from perfdhcp's final statistics, so a request is unanswered exactly when perfdhcp
/// saw no answer to it. Bounded: perfdhcp ends by itself after <see cref="MaxPeriod"/>, and a probe
/// that is never stopped is killed when disposed.
/// </summary>
public sealed partial class DhcpProbe : IDisposable
{
    /// <summary>perfdhcp's own end (-p), so a test that dies before stopping the probe cannot leave it running for long.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromSeconds(600);

    private const string ClientNamespace = "kgo-c";

    // After the action, answers to the last requests are let in before perfdhcp is stopped: at the
    // lab's latency (under 10 ms) one drop time is far more than any answer needs.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.2);

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly Stopwatch _clock;
    private readonly int _rate;

    private DhcpProbe(Process process, int rate)
    {
        _process = process;
        _rate = rate;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
        _clock = Stopwatch.StartNew();
    }

    /// <summary>
    /// Starts <paramref name="rate"/> exchanges per second from <paramref name="clients"/> simulated clients.
    /// Each client keeps its lease and is answered from it again, so the servers' pools must hold
    /// <paramref name="clients"/> addresses (the lab inventories' 198.51.100.0/24 pool holds far more).
    /// </summary>
    public static DhcpProbe Start(int rate = 10, int clients = 20)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // `ip netns exec` execs perfdhcp: the process started is perfdhcp itself, so a signal to it reaches perfdhcp.
        foreach (var argument in new[]
        {
            "netns", "exec", ClientNamespace, "perfdhcp", "-4", "-l", "eth0",
            "-r", rate.ToString(CultureInfo.InvariantCulture),
            "-R", clients.ToString(CultureInfo.InvariantCulture),
            "-d", "1",
            "-p", ((int)MaxPeriod.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start perfdhcp in the lab's client namespace");
        process.StandardInput.Close();
        var probe = new DhcpProbe(process, rate);
        // perfdhcp opens its socket and sends its first exchange within a few milliseconds; a probe that
        // could not start (no namespace, no perfdhcp) says so now rather than as zero counts later.
        Thread.Sleep(300);
        if (process.HasExited)
        {
            throw new InvalidOperationException($"perfdhcp ended at once (exit {process.ExitCode}): {probe._stdout.Result}{probe._stderr.Result}\n(is the lab up, and perfdhcp installed: apt-get install kea-admin?)");
        }

        return probe;
    }

    /// <summary>Lets the last answers arrive, stops perfdhcp (SIGINT, as its documentation says) and reads its final statistics.</summary>
    public async Task<DhcpProbeResult> StopAsync()
    {
        await Task.Delay(Settle);
        // perfdhcp stops at SIGINT without waiting for answers (its -W exit wait applies to -p, not to a
        // signal): an exchange sent a moment before would count as unanswered. It sends on a fixed schedule
        // from its start, so the signal goes half-way between two sends, when the last answer (milliseconds
        // in the lab) is long in.
        var interval = TimeSpan.FromSeconds(1.0 / _rate).Ticks;
        var sinceSend = _clock.Elapsed.Ticks % interval;
        await Task.Delay(TimeSpan.FromTicks((interval / 2 - sinceSend + interval) % interval));
        var elapsed = _clock.Elapsed;
        if (!_process.HasExited)
        {
            using var signal = Process.Start("kill", ["-s", "INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
        }

        using (var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _process.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException("perfdhcp did not stop within 15 s of SIGINT");
            }
        }

        var text = await _stdout + await _stderr;
        return new DhcpProbeResult(Counts(text, "DISCOVER-OFFER"), Counts(text, "REQUEST-ACK"), elapsed, text);
    }

    /// <summary>Runs <paramref name="action"/> with the probe running from just before it to just after it.</summary>
    public static async Task<(T Result, DhcpProbeResult Probe)> AroundAsync<T>(Func<Task<T>> action, int rate = 10, int clients = 20)
    {
        using var probe = Start(rate, clients);
        var result = await action();
        return (result, await probe.StopAsync());
    }

    /// <summary>The counts perfdhcp printed under "***Statistics for: EXCHANGE***"; a missing block fails with perfdhcp's output.</summary>
    public static DhcpExchangeCounts Counts(string perfdhcpOutput, string exchange)
    {
        var block = Block().Matches(perfdhcpOutput).FirstOrDefault(m => m.Groups["exchange"].Value == exchange)
            ?? throw new InvalidOperationException($"perfdhcp printed no statistics for {exchange}:\n{perfdhcpOutput}");
        return new DhcpExchangeCounts(
            long.Parse(block.Groups["sent"].Value, CultureInfo.InvariantCulture),
            long.Parse(block.Groups["received"].Value, CultureInfo.InvariantCulture),
            long.Parse(block.Groups["drops"].Value, CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"\*\*\*Statistics for: (?<exchange>[A-Z-]+)\*\*\*\s*\nsent packets: (?<sent>\d+)\s*\nreceived packets: (?<received>\d+)\s*\ndrops: (?<drops>\d+)")]
    private static partial Regex Block();
}
