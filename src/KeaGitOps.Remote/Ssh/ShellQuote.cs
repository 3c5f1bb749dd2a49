using System.Buffers;

namespace KeaGitOps.Remote.Ssh;

/// <summary>
/// Quotes words for the POSIX shell that runs an SSH remote command (sh, dash, bash, zsh), so that
/// each word arrives as exactly one argument, whatever it holds. (fish reads backslashes inside single
/// quotes differently; a server for this tool must not use it as the login shell.)
/// </summary>
public static class ShellQuote
{
    // Characters no POSIX shell treats specially, left bare so commands stay readable in logs.
    private static readonly SearchValues<char> Safe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+-");

    /// <summary>
    /// <paramref name="word"/> as one shell word: bare when every character is safe, else in single
    /// quotes, where each <c>'</c> becomes <c>'\''</c> (close, escaped quote, reopen).
    /// </summary>
    /// <exception cref="ArgumentException">The word holds a NUL, which no shell argument can carry.</exception>
    public static string Quote(string word)
    {
        if (word.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a NUL character cannot be passed through a shell", nameof(word));
        }

        // zsh expands a word starting with '=' to a command's path, so such a word is quoted too.
        var bare = word.Length > 0 && !word.AsSpan().ContainsAnyExcept(Safe) && word[0] != '=';
        return bare ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A command line of <paramref name="words"/>, each quoted as one argument.</summary>
    public static string Join(params string[] words) => string.Join(' ', words.Select(Quote));
}
