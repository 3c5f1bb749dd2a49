using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;

namespace KeaGitOps.Core;

/// <summary>
/// Wall-clock time per pipeline phase, printed to stderr at exit when KEAGITOPS_TIMINGS=1 (the benchmark
/// uses it to show where the time goes). Off by default and then nearly free.
/// </summary>
public static class PhaseTimer
{
    public const string Variable = "KEAGITOPS_TIMINGS";

    private static readonly bool Enabled = Environment.GetEnvironmentVariable(Variable) == "1";
    private static readonly ConcurrentQueue<(string Phase, double Milliseconds, double JitMilliseconds)> Phases = new();

    public static Scope Measure(string phase) => new(Enabled ? phase : null);

    /// <summary>Records the time since the process started (the runtime's own start-up included) as <paramref name="phase"/>.</summary>
    public static void SinceProcessStart(string phase)
    {
        if (Enabled)
        {
            using var process = Process.GetCurrentProcess();
            Phases.Enqueue((phase, (DateTime.Now - process.StartTime).TotalMilliseconds, JitInfo.GetCompilationTime().TotalMilliseconds));
        }
    }

    public static void Report(TextWriter output)
    {
        if (Enabled)
        {
            output.WriteLine(string.Join("  ", Phases.Select(p => $"{p.Phase} {p.Milliseconds:0}ms" + (p.JitMilliseconds >= 1 ? $" (jit {p.JitMilliseconds:0})" : ""))));
        }
    }

    public readonly struct Scope(string? phase) : IDisposable
    {
        private readonly long _start = phase is null ? 0 : Stopwatch.GetTimestamp();
        private readonly TimeSpan _jitStart = phase is null ? default : JitInfo.GetCompilationTime(currentThread: true);
        private readonly int _thread = phase is null ? 0 : Environment.CurrentManagedThreadId;

        public void Dispose()
        {
            if (phase is not null)
            {
                // The JIT's share of a phase that ran on one thread (an awaited phase moves between threads: none).
                var jit = _thread == Environment.CurrentManagedThreadId ? (JitInfo.GetCompilationTime(currentThread: true) - _jitStart).TotalMilliseconds : 0;
                Phases.Enqueue((phase, Stopwatch.GetElapsedTime(_start).TotalMilliseconds, jit));
            }
        }
    }
}
