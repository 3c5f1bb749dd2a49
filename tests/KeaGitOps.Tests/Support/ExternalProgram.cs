using System.Diagnostics;
using System.Text;

namespace KeaGitOps.Tests.Support;

/// <summary>What a program run to completion printed, as raw bytes (so NULs and encodings survive) and its exit code.</summary>
public sealed record ProgramOutput(int ExitCode, byte[] Stdout, string Stderr)
{
    public string Text => Encoding.UTF8.GetString(Stdout);
}

/// <summary>Runs a real program (ssh-keygen, /bin/sh) with an exact argument vector: no shell in between.</summary>
public static class ExternalProgram
{
    public static ProgramOutput Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        return new ProgramOutput(process.ExitCode, stdout.ToArray(), stderr.Result);
    }

    /// <summary>Runs a program that must succeed, and returns its standard output as text.</summary>
    public static string Succeed(string program, params string[] arguments)
    {
        var output = Run(program, arguments);
        Assert.True(output.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {output.ExitCode}: {output.Stderr}");
        return output.Text;
    }
}
