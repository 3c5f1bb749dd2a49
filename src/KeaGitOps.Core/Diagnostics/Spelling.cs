namespace KeaGitOps.Core.Diagnostics;

/// <summary>"Did you mean …": the closest of some names to a misspelt one, by edit distance.</summary>
public static class Spelling
{
    /// <summary>
    /// The candidate nearest to <paramref name="written"/>, or null when none is close: at most a third of
    /// its letters changed (at least one, at most three), where swapping two neighbours counts as one change
    /// and case, or '_' for '-', as none.
    /// </summary>
    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        var limit = Math.Clamp(written.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(written, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance between names, case-insensitive and with '_' equal to '-'.</summary>
    public static int Distance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    private static bool Same(char x, char y) => Normal(x) == Normal(y);

    private static char Normal(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
}
