namespace KeaGitOps.Remote.Ssh;

/// <summary>Placeholder until the kea-syntax branch lands its ShellQuote (same API).</summary>
public static class ShellQuote
{
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
